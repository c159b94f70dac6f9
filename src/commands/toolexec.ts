import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from '@oclif/core';

export default class Toolexec extends Command {
  static override description = `Run a Go tool on behalf of the go command (the -toolexec program)

Used as \`go build -toolexec "<path>/bin/orchestrion toolexec"\` (or the same -toolexec in GOFLAGS, quoted: GOFLAGS="'-toolexec=<path>/bin/orchestrion toolexec'"): compile calls are instrumented through a job server, link calls get the packages the instrumentation injected, every other tool runs unchanged. orchestrion go sets it for you. bin/orchestrion sends this command straight to a lean bundle; this oclif form exists for help and for callers that bypass bin/.`;
  static override strict = false;
  static override usage = 'toolexec <tool> [tool arguments...]';

  async run(): Promise<void> {
    const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'toolexec.cjs');
    const r = spawnSync(process.execPath, [bundle, ...this.argv], { stdio: 'inherit' });
    this.exit(r.status ?? 1);
  }
}
