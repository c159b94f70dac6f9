// `orchestrion go <subcommand> …`: runs go with `-toolexec` and a job server for the build. Shared
// by the oclif command and the lean entry bin/orchestrion uses for `go` (wrapper/entry.ts), which
// loads no CLI framework: a warm no-op build is mostly this file's start-up. For the same reason go
// is run with node:child_process (see toolexec/run.ts), and `go env` too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toolexecInvocation } from '../gocommand.ts';
import { childBuildArgs, parseGoFlags, stripToolexec } from '../goflags.ts';
import { startHostedServer } from '../jobserver/host.ts';
import { JOBSERVER_ENV, VERSION_SUFFIX_ENV } from '../jobserver/protocol.ts';
import { runtimeDir } from '../jobserver/runtime-dir.ts';
import { logEvent } from '../log.ts';
import { spawnTool, type Exit } from '../toolexec/run.ts';
import { goEnv, rootFromGoMod } from './goenv.ts';
import { readSuffix, suffixCacheKey, writeSuffix } from '../cache/suffix.ts';

export interface WrapperOptions {
  /** The orchestrion executable go runs as `-toolexec` (bin/orchestrion). */
  bin: string;
  /** The dist directory (host-worker.js, build-id). */
  distDir: string;
}

/** Runs `go <argv…>` instrumented; resolves to go's exit status. Throws errors worth printing. */
export async function runGoCommand(argv: string[], opts: WrapperOptions): Promise<number> {
  const inv = toolexecInvocation(argv, opts.bin);
  if (inv.chdir) process.chdir(inv.chdir);
  if (!inv.instrumented) return runGo(inv.args, process.env);
  const cwd = process.cwd();
  const ge = await goEnv(cwd, process.env);
  const root = rootFromGoMod(ge.GOMOD, cwd);
  const toolchain = { goroot: ge.GOROOT, version: ge.GOVERSION };
  const tool = buildID(opts.distDir);
  const key =
    tool &&
    suffixCacheKey({
      tool,
      root,
      goenv: ge,
      goflags: stripToolexec(process.env.GOFLAGS),
      flags: childBuildArgs(parseGoFlags(inv.args, '')),
    });
  let suffix = key ? readSuffix(key) : undefined;
  logEvent('wrapper.suffix', { cached: suffix !== undefined });
  const dir = fs.mkdtempSync(path.join(runtimeDir(), 'go-'));
  const server = await startHostedServer({ root, dir, goArgs: inv.args, knownSuffix: suffix }, path.join(opts.distDir, 'jobserver', 'host-worker.js'));
  let code: number;
  try {
    if (suffix === undefined) {
      // Load and validate the configuration before go starts, so a bad orchestrion.yml fails fast
      // with its own message rather than as a failed `compile -V=full`.
      const since = Date.now();
      const prepared = await (await server.host()).prepare(toolchain);
      suffix = prepared.suffix;
      if (key) writeSuffix(key, suffix, prepared.inputs, since);
    }
    code = await runGo(inv.args, { ...process.env, [JOBSERVER_ENV]: server.url, [VERSION_SUFFIX_ENV]: suffix });
  } finally {
    await server.stop();
    // Peak RSS of this process: the job server and the wasm workers are threads of it.
    logEvent('wrapper.exit', { maxRSSKiB: process.resourceUsage().maxRSS });
  }
  return code;
}

/** The tool's build ID stamped by the build (dist/build-id); without one, no suffix is cached. */
function buildID(distDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(distDir, 'build-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

async function runGo(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let r: Exit;
  try {
    r = await spawnTool('go', args, { stdio: 'inherit', env });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the Go toolchain is not installed or not on PATH (go: not found)');
    throw new Error(`running go: ${(err as Error).message}`);
  }
  return r.code ?? 1;
}
