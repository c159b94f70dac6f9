import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from '@oclif/core';

export default class Server extends Command {
  static override description = `Start a persistent job server

A job server keeps what builds of one module share: the loaded configuration, the wasm injector's workers, and the child builds that resolve injected packages. orchestrion go starts one on first use for each module, toolchain and user (found through a socket in a private runtime directory, mode 0700) and reuses it for later builds, so an edit-and-rebuild does not load the configuration or start the injector again; it frees the injector's workers after two idle minutes and exits after ORCHESTRION_SERVER_TIMEOUT (a Go duration, default 15m) without a build. Set ORCHESTRION_SERVER=per-build for a server per build (the default when CI is set).

This command starts such a server in the foreground, for the module in the current directory; with -url-file, a server whose URL is written to FILE once it accepts connections, for plain go commands: ORCHESTRION_JOBSERVER_URL=$(cat FILE) go build -toolexec '<orchestrion> toolexec' ./... It shuts down when FILE is deleted, or after -inactivity-timeout without a client. It exits with status 2 when a server is running already.

Users do not normally need this command: orchestrion go manages servers itself.`;
  static override strict = false;
  static override usage = 'server [-url-file FILE] [-inactivity-timeout DURATION] [-build-flags YAML] [-parent-pid PID]';
  static override flags = {};
  static override examples = [
    '<%= config.bin %> server -inactivity-timeout 30m',
    '<%= config.bin %> server -url-file .orchestrion-jobserver &  ORCHESTRION_JOBSERVER_URL=$(cat .orchestrion-jobserver) go build -toolexec "$PWD/bin/orchestrion toolexec" ./...',
  ];

  async run(): Promise<void> {
    // Loaded on use: the command table is read by every command.
    const { parseServeArgs, serve, SERVE_USAGE } = await import('../jobserver/serve.ts');
    let args;
    try {
      args = parseServeArgs(this.argv);
    } catch (err) {
      this.logToStderr(`orchestrion server: ${(err as Error).message}\n${SERVE_USAGE}`);
      this.exit(2);
    }
    if (args.help) return this.config.runCommand('help', ['server']);
    const distDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
    let code: number;
    try {
      code = await serve(args, distDir, (line) => this.logToStderr(line));
    } catch (err) {
      this.logToStderr(`orchestrion server: ${(err as Error).message}`);
      this.exit(1);
    }
    this.exit(code);
  }
}
