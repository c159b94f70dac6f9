import * as path from 'node:path';
import { Command } from '@oclif/core';
import { PROJECT_ROOT } from '../version.ts';
import { runGoCommand } from '../wrapper/run.ts';

export default class Go extends Command {
  static override description = `Run a go command with instrumentation

build, clean, get, install, list, run and test get \`-toolexec "<orchestrion>" toolexec\` inserted after the subcommand, and a job server shared by every toolexec call of the build; every other argument (and GOFLAGS) is kept. Another -toolexec, on the command line or in GOFLAGS, is refused (exit status 2): go would run only one of the two programs. Other subcommands run unchanged. The exit status is go's.`;
  static override strict = false;
  static override usage = 'go <subcommand> [go arguments...]';
  static override examples = ['<%= config.bin %> go build ./...', '<%= config.bin %> go test -race ./...', '<%= config.bin %> go run .'];

  async run(): Promise<void> {
    let code: number;
    try {
      code = await runGoCommand(this.argv, {
        bin: process.env.ORCHESTRION_BIN || path.join(PROJECT_ROOT, 'bin', 'orchestrion'),
        distDir: path.join(PROJECT_ROOT, 'dist'),
      });
    } catch (err) {
      process.stderr.write(`orchestrion: ${(err as Error).message}\n`);
      code = (err as Error & { exitCode?: number }).exitCode ?? 1;
    }
    this.exit(code);
  }
}
