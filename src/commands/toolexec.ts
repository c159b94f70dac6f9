import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from '@oclif/core';

export default class Toolexec extends Command {
  static override description = `Run a Go tool on behalf of the go command (the -toolexec program)

Used as \`go build -toolexec 'orchestrion toolexec'\`: compile calls are instrumented through the job
server, link calls run the linker, every other tool runs unchanged. bin/orchestrion sends this command
straight to a lean bundle; this oclif form exists for --help and for callers that bypass bin/.`;
  static override strict = false;
  static override usage = 'toolexec <tool> [tool arguments...]';

  async run(): Promise<void> {
    const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'toolexec.cjs');
    const r = spawnSync(process.execPath, [bundle, ...this.argv], { stdio: 'inherit' });
    this.exit(r.status ?? 1);
  }
}
