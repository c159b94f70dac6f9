// `orchestrion go <subcommand> …`: runs go with `-toolexec` and a job server for the build. Shared
// by the oclif command and the lean entry bin/orchestrion uses for `go` (wrapper/entry.ts), which
// loads no CLI framework: a warm no-op build is mostly this file's start-up. For the same reason go
// is run with node:child_process (see toolexec/run.ts), and `go env` too.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stampedBuildID } from '../build-id.ts';
import { toolexecInvocation } from '../gocommand.ts';
import { childBuildArgs, parseGoFlags, stripToolexec } from '../goflags.ts';
import { startHostedServer, type BuildServer } from '../jobserver/host.ts';
import type { Prepared } from '../jobserver/server.ts';
import { openSession, persistentServerWanted, serverIdleMs } from '../jobserver/persistent-client.ts';
import { JOBSERVER_ENV, VERSION_SUFFIX_ENV } from '../jobserver/protocol.ts';
import { FACTS_DIR, GATE_DIR_ENV, gateEnabled, makeGateDir, ungatedCount } from '../jobserver/compile-gate.ts';
import { makeJobDir, runtimeDir, sweepRuntimeDir } from '../jobserver/runtime-dir.ts';
import { logEvent } from '../log.ts';
import { memoryPlan } from '../pool/budget.ts';
import { goEnv, rootFromGoMod } from './goenv.ts';
import { readSuffix, suffixCacheKey, writeSuffix } from '../cache/suffix.ts';
import { mergeRecords, prefetchEnabled, uncovered, ROLE_ENV, writePrefetchFile, type PrefetchIndex } from '../cacheprog/prefetch.ts';
import { reportCacheStats, STATS_ENV } from '../cacheprog/stats.ts';
import { emitOverhead, overheadReport, type OverheadReport } from './overhead.ts';
import { sharedSuffix } from './shared-suffix.ts';
import { killTree } from './proctree.ts';
import { hintTarget, prefetchSet, readLocalHint, sameSets, writeLocalHint, type ResolveHint } from '../cache/resolve-hint.ts';

export interface WrapperOptions {
  /** The orchestrion executable go runs as `-toolexec` (bin/orchestrion). */
  bin: string;
  /** The dist directory (host-worker.js, build-id). */
  distDir: string;
}

/**
 * Runs `go <argv…>` instrumented; resolves to go's exit status. Throws errors worth printing.
 *
 * SIGINT, SIGTERM and SIGHUP do not end this process at once: they are passed on to go (a SIGINT
 * from the terminal reached it already; sending it again is harmless), and once go has exited the
 * job server stops and its directory is removed; then this process ends by the same signal, as
 * go would have. A second signal while cleaning up removes the directory and ends it at once.
 */
export async function runGoCommand(argv: string[], opts: WrapperOptions): Promise<number> {
  const interrupts = new Interrupts();
  let code: number;
  try {
    code = await runInstrumented(argv, opts, interrupts);
  } catch (err) {
    if (!interrupts.received) throw err;
    code = 1;
  } finally {
    interrupts.dispose();
  }
  if (interrupts.received) return interrupts.reraise();
  return code;
}

async function runInstrumented(argv: string[], opts: WrapperOptions, interrupts: Interrupts): Promise<number> {
  const t0 = performance.now();
  const inv = toolexecInvocation(argv, opts.bin);
  if (inv.chdir) process.chdir(inv.chdir);
  if (!inv.instrumented) return runGo(inv.args, process.env, interrupts);
  // A wrong ORCHESTRION_MAX_MEMORY, ORCHESTRION_WORKERS or ORCHESTRION_SERVER[_TIMEOUT] fails here,
  // not in the first compile.
  memoryPlan();
  if (persistentServerWanted(process.env)) serverIdleMs(process.env);
  const prefetchAllowed = prefetchEnabled(process.env);
  const gateOn = gateEnabled(process.env);
  const cwd = process.cwd();
  const ge = await goEnv(cwd, process.env);
  const root = rootFromGoMod(ge.GOMOD, cwd);
  const toolchain = { goroot: ge.GOROOT, version: ge.GOVERSION };
  // Without a stamped build ID, no suffix is cached.
  const tool = stampedBuildID(opts.distDir);
  const flags = { goflags: stripToolexec(process.env.GOFLAGS), flags: childBuildArgs(parseGoFlags(inv.args, '')) };
  const key = tool && suffixCacheKey({ tool, root, goenv: ge, ...flags });
  let suffix = key ? readSuffix(key) : undefined;
  let suffixSource: OverheadReport['suffix'] = suffix !== undefined ? 'cache' : 'computed';
  logEvent('wrapper.suffix', { cached: suffix !== undefined, sinceStartMs: Math.round(performance.now()) });
  // Not here: maybe another machine computed it, for a cache shared through GOCACHEPROG.
  const shared = tool ? sharedSuffix(process.env, ge, root, { tool, ...flags }) : undefined;
  const sharedStart = Date.now();
  const fromShared = suffix === undefined ? shared?.lookup() : undefined;
  interrupts.check();
  const runtime = runtimeDir((message) => process.stderr.write(`orchestrion: warning: ${message}\n`));
  // What builds killed with SIGKILL left behind (their owner process is gone).
  const swept = sweepRuntimeDir(runtime);
  if (swept.length > 0) logEvent('runtime-dir.sweep', { removed: swept });
  const found =
    fromShared &&
    (await interrupts.race(fromShared).catch(async (err: unknown) => {
      await shared?.close();
      throw err;
    }));
  if (found) {
    suffix = found.suffix;
    suffixSource = 'shared';
    if (key) writeSuffix(key, suffix, found.inputs, sharedStart);
  }
  const dir = makeJobDir(runtime);
  interrupts.jobDir = dir;
  // Every `orchestrion cacheprog` of the build (GOCACHEPROG) writes its counters here: go's, and
  // those of the job server's child builds, which inherit this process's environment.
  const cacheStats = path.join(dir, 'cacheprog-stats');
  fs.mkdirSync(cacheStats);
  process.env[STATS_ENV] = cacheStats;
  // The compile gate (src/jobserver/compile-gate.ts): the job server writes it, bin/orchestrion
  // reads it, for go's compiles and those of the job server's child builds (this environment).
  const gateDir = path.join(dir, 'gate');
  if (gateOn) {
    makeGateDir(gateDir, path.join(runtime, FACTS_DIR));
    process.env[GATE_DIR_ENV] = gateDir;
  } else delete process.env[GATE_DIR_ENV];
  let server: BuildServer;
  try {
    server = await startServer({ root, dir, runtime, toolchain, tool, goArgs: inv.args, knownSuffix: suffix }, opts);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let code: number;
  try {
    // Without a suffix the configuration is loaded and validated while go loads its packages: go
    // asks for it with its first `-V=full` (through the job server, which waits for the load). A bad
    // orchestrion.yml still fails with its own message: the job server holds go's `-V=full` calls
    // then, and go is stopped before it can report them (see below). With a shared cache (CI) the
    // suffix is known first: it keys the hints and the prefetch index read before go starts.
    let loading: Promise<Prepared> | undefined;
    if (suffix === undefined) {
      const since = Date.now();
      const storing = server.prepare(toolchain).then(async (prepared) => {
        if (key) writeSuffix(key, prepared.suffix, prepared.inputs, since);
        await shared?.store(prepared.suffix, prepared.inputs, since);
        return prepared;
      });
      if (shared) suffix = (await interrupts.race(storing)).suffix;
      else {
        loading = storing;
        loading.catch(() => {}); // awaited below, once go has been stopped
      }
    }
    // What the last build of these packages resolved: from this machine, else (a fresh CI worker)
    // from whoever stored the suffix it found. While the configuration loads, the local hint is read
    // once it has (go's first compile comes after that).
    const target = hintTarget(inv.args);
    let hint: ResolveHint | undefined = key && suffix !== undefined ? readLocalHint(key, target, suffix) : undefined;
    const lateHint =
      key && loading
        ? loading.then((p) => {
            const h = readLocalHint(key, target, p.suffix);
            const sets = h && prefetchSet(h.sets);
            if (sets) server.prefetch([sets], 'first-call');
            return h;
          })
        : undefined;
    lateHint?.catch(() => {});
    if (!hint && suffixSource === 'shared' && suffix !== undefined) hint = await shared?.lookupHint(target, suffix).catch(() => undefined);
    // One set, the one the end of the build needs (prefetchSet): what is left on the critical path
    // when every compile is cached. Earlier sets belong to compiles that are cached then, and their
    // child builds would only compete with the linker for the cores (measured: docs/PERFORMANCE.md).
    const ahead = hint && prefetchSet(hint.sets);
    // A suffix from the shared cache means a fresh machine (a CI worker): no warm no-op build to
    // spare, the link will come, and its child build starts at once. Otherwise it starts with the
    // build's first toolexec call to the server: a warm no-op build makes none and pays nothing.
    if (ahead) server.prefetch([ahead], suffixSource === 'shared' ? 'now' : 'first-call');
    // A machine new to this configuration (its suffix was not in the local suffix cache) fetches
    // what the last build of these packages fetched, many requests at a time, and records what it
    // fetches for the next one (src/cacheprog/prefetch.ts). Our cacheprog only: others ignore it.
    const prefetching = shared !== undefined && suffixSource !== 'cache' && prefetchAllowed;
    let index: PrefetchIndex | undefined;
    if (prefetching && suffix !== undefined) {
      index = await shared.lookupIndex(target, suffix).catch(() => undefined);
      writePrefetchFile(cacheStats, index);
    }
    await shared?.close();
    logEvent('wrapper.go', { suffix, prefetch: ahead?.length ?? 0, sinceStartMs: Math.round(performance.now()) });
    const goStart = performance.now();
    // go makes its $WORK first thing, and a configuration error kills it (runGo) before it can
    // remove it: then its $WORK goes inside the job directory, removed below. Not when the user
    // chose where it goes, or keeps it (-work).
    const ownTmp = loading !== undefined && !process.env.GOTMPDIR && !parseGoFlags(inv.args, process.env.GOFLAGS ?? '').short.has('work');
    if (ownTmp) fs.mkdirSync(path.join(dir, 'gotmp'));
    const goEnvironment = {
      ...process.env,
      [JOBSERVER_ENV]: server.url,
      ...(suffix !== undefined && { [VERSION_SUFFIX_ENV]: suffix }),
      ...(prefetching ? { [ROLE_ENV]: 'main' } : {}),
      ...(ownTmp && { GOTMPDIR: path.join(dir, 'gotmp') }),
    };
    code = await runGo(inv.args, goEnvironment, interrupts, loading);
    const goMs = performance.now() - goStart;
    logEvent('wrapper.go-exit', { code, sinceStartMs: Math.round(performance.now()) });
    // Settled: runGo waited for it.
    if (loading) suffix = (await loading).suffix;
    if (lateHint) hint = await lateHint;
    if (code === 0 && suffix !== undefined) await keepHint(server, { key, target, suffix, hint, shared });
    if (code === 0 && prefetching && suffix !== undefined) {
      const used = mergeRecords(cacheStats);
      const fresh = uncovered(index, used);
      if (fresh > 0) {
        await shared.storeIndex(target, suffix, used).catch(() => {});
        logEvent('wrapper.index', { main: used.main.length, child: used.child.length, uncovered: fresh });
      }
    }
    reportCacheStats(cacheStats, inv.args, process.env, process.stderr);
    const stats = await server.stats().catch(() => undefined);
    const report = overheadReport(stats, { suffix: suffixSource, setupMs: goStart - t0, goMs, peakRSSKiB: process.resourceUsage().maxRSS, ungated: ungatedCount(gateDir) });
    emitOverhead(report, inv.args, process.env, process.stderr);
  } finally {
    await shared?.close();
    // After a signal, the worker is ended without waiting long for what it was doing.
    await server.stop(interrupts.received ? 1000 : undefined);
    fs.rmSync(dir, { recursive: true, force: true }); // a persistent server's session has its own
    // Peak RSS of this process: the job server and the wasm workers are threads of it.
    logEvent('wrapper.exit', { maxRSSKiB: process.resourceUsage().maxRSS, signal: interrupts.received, sinceStartMs: Math.round(performance.now()) });
  }
  return code;
}

/**
 * The build's job server: a session of the module's persistent server (started if none runs), or,
 * with ORCHESTRION_SERVER=per-build, under CI, or when the persistent server cannot be reached, one
 * on a thread of this process for this build alone.
 */
async function startServer(
  b: { root: string; dir: string; runtime: string; toolchain: { goroot: string; version: string }; tool: string | undefined; goArgs: string[]; knownSuffix: string | undefined },
  opts: WrapperOptions,
): Promise<BuildServer> {
  if (b.tool && persistentServerWanted(process.env)) {
    try {
      const server = await openSession({
        runtime: b.runtime,
        id: { root: b.root, goroot: b.toolchain.goroot, goversion: b.toolchain.version, tool: b.tool },
        goArgs: b.goArgs,
        env: process.env,
        knownSuffix: b.knownSuffix,
        distDir: opts.distDir,
      });
      logEvent('wrapper.session', { url: server.url, sinceStartMs: Math.round(performance.now()) });
      return server;
    } catch (err) {
      logEvent('wrapper.session-failed', { error: String(err) });
      process.stderr.write(`orchestrion: warning: ${(err as Error).message}; using a job server for this build alone\n`);
    }
  }
  return startHostedServer({ root: b.root, dir: b.dir, goArgs: b.goArgs, knownSuffix: b.knownSuffix }, path.join(opts.distDir, 'jobserver', 'host-worker.js'));
}

/** Stores what this build resolved as the next one's hint, where it differs from the hint it had. */
async function keepHint(
  server: BuildServer,
  h: { key: string | undefined; target: object; suffix: string; hint: ResolveHint | undefined; shared: ReturnType<typeof sharedSuffix> },
): Promise<void> {
  const sets = await server.resolveRequests().catch(() => []);
  if (sets.length === 0 || (h.hint && sameSets(h.hint.sets, sets))) return;
  const hint = { suffix: h.suffix, sets };
  if (h.key) writeLocalHint(h.key, h.target, hint);
  await h.shared?.storeHint(h.target, hint).catch(() => {});
  logEvent('wrapper.hint', { sets: sets.length });
}

const HANDLED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

class Interrupted extends Error {}

/** The signals this process handles while go runs, and what happens to them. */
class Interrupts {
  /** The first signal received, if any. */
  received: NodeJS.Signals | undefined;
  /** The running go command, to pass signals on to. */
  child: ChildProcess | undefined;
  /** The job server's directory, removed at once on a second signal. */
  jobDir: string | undefined;
  private abort: ((err: Error) => void)[] = [];

  private readonly onSignal = (sig: NodeJS.Signals): void => {
    logEvent('wrapper.signal', { signal: sig, goRunning: this.child !== undefined });
    if (this.received) {
      // Asked again while cleaning up: leave nothing behind, and stop now.
      if (this.jobDir) fs.rmSync(this.jobDir, { recursive: true, force: true });
      this.dispose();
      this.reraise();
      return;
    }
    this.received = sig;
    if (this.child) {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
    for (const reject of this.abort.splice(0)) reject(new Interrupted(`interrupted by ${sig}`));
  };

  constructor() {
    for (const sig of HANDLED) process.on(sig, this.onSignal);
  }

  /** Throws if a signal arrived: nothing more is started then. */
  check(): void {
    if (this.received) throw new Interrupted(`interrupted by ${this.received}`);
  }

  /** `p`, or a rejection as soon as a signal arrives. */
  race<T>(p: Promise<T>): Promise<T> {
    this.check();
    return Promise.race([p, new Promise<never>((_, reject) => this.abort.push(reject))]);
  }

  dispose(): void {
    for (const sig of HANDLED) process.removeListener(sig, this.onSignal);
  }

  /** Ends this process by the signal it received (its handlers removed), as if it had not caught it. */
  reraise(): number {
    const sig = this.received!;
    process.kill(process.pid, sig);
    // Should the signal not end the process at once, its conventional exit status.
    return 128 + (os.constants.signals[sig] ?? 0);
  }
}

/**
 * Runs go; its exit status, or 128+n when a signal ended it. `loading` is the configuration being
 * loaded meanwhile: if it fails, go is stopped with the toolexec processes it runs (those waiting for
 * its `-V=full` answer are held by the job server, so neither they nor go report anything), and its
 * error is thrown once go has ended. When go ends first, `loading` is awaited before returning.
 */
async function runGo(args: string[], env: NodeJS.ProcessEnv, interrupts: Interrupts, loading?: Promise<unknown>): Promise<number> {
  interrupts.check();
  // Started with node:child_process, not execa (see toolexec/run.ts): a warm no-op build is mostly start-up.
  const child = spawn('go', args, { stdio: 'inherit', env });
  interrupts.child = child;
  let failed: { err: unknown } | undefined;
  loading?.catch((err: unknown) => {
    failed = { err };
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killTree(child.pid);
  });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => resolve([c, s]));
    });
    if (loading && !failed) await interrupts.race(loading).catch((err: unknown) => (failed ??= { err }));
    if (failed) throw failed.err;
    return code ?? 128 + (os.constants.signals[signal!] ?? 0);
  } catch (err) {
    if (err === failed?.err) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the Go toolchain is not installed or not on PATH (go: not found)');
    throw new Error(`running go: ${(err as Error).message}`);
  } finally {
    interrupts.child = undefined;
  }
}
