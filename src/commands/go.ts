import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from '@oclif/core';
import { execa } from 'execa';
import { toolexecInvocation } from '../gocommand.ts';
import { startHostedServer } from '../jobserver/host.ts';
import { moduleRoot } from '../jobserver/moduleroot.ts';
import { JOBSERVER_ENV } from '../jobserver/protocol.ts';
import { runtimeDir } from '../jobserver/runtime-dir.ts';
import { PROJECT_ROOT } from '../version.ts';
import { pathToolchain } from '../wasm/module.ts';

export default class Go extends Command {
  static override description = `Run a go command with instrumentation

build, clean, get, install, list, run and test get \`-toolexec "<orchestrion>" toolexec\` inserted after
the subcommand, and a job server shared by every toolexec call of the build; every other argument
(and GOFLAGS) is kept. Other subcommands run unchanged. The exit status is go's.`;
  static override strict = false;
  static override usage = 'go <subcommand> [go arguments...]';
  static override examples = ['<%= config.bin %> go build ./...', '<%= config.bin %> go test -race ./...', '<%= config.bin %> go run .'];

  async run(): Promise<void> {
    const bin = process.env.ORCHESTRION_BIN || path.join(PROJECT_ROOT, 'bin', 'orchestrion');
    const inv = toolexecInvocation(this.argv, bin);
    if (inv.chdir) process.chdir(inv.chdir);
    if (!inv.instrumented) {
      this.exit(await runGo(inv.args, process.env));
    }
    const cwd = process.cwd();
    let root: string;
    try {
      root = await moduleRoot(cwd);
    } catch (err) {
      this.error((err as Error).message, { exit: 1 });
    }
    const dir = fs.mkdtempSync(path.join(runtimeDir(), 'go-'));
    const server = await startHostedServer({ root, dir, goArgs: inv.args });
    let code: number;
    try {
      // Load and validate the configuration before go starts, so a bad orchestrion.yml fails fast
      // with its own message rather than as a failed `compile -V=full`.
      await server.host.prepare(await pathToolchain(cwd));
      code = await runGo(inv.args, { ...process.env, [JOBSERVER_ENV]: server.url });
    } catch (err) {
      process.stderr.write(`orchestrion: ${(err as Error).message}\n`);
      code = 1;
    } finally {
      await server.stop();
    }
    this.exit(code);
  }
}

async function runGo(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const r = await execa('go', args, { stdio: 'inherit', env, extendEnv: false, reject: false });
  if (r.exitCode === undefined) {
    const cause = r.cause as NodeJS.ErrnoException | undefined;
    if (cause?.code === 'ENOENT') throw new Error('the Go toolchain is not installed or not on PATH (go: not found)');
    if (r.signal) return 1;
    throw new Error(`running go: ${cause?.message ?? r.message}`);
  }
  return r.exitCode;
}
