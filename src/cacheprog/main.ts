// `orchestrion cacheprog` (dist/cacheprog.cjs, chosen by bin/orchestrion without oclif): a
// GOCACHEPROG program. go starts one per go process, nested ones included, and waits for its
// handshake, so the handshake is written before anything else is set up.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { parseCacheProgArgs, USAGE, UsageError, type CacheProgArgs } from './args.ts';
import { CacheProg } from './cacheprog.ts';
import { LocalStore } from './local.ts';
import { readPrefetchFile, Recorder, roleOf } from './prefetch.ts';
import { handshakeLine, responseLine, type Response } from './protocol.ts';
import { RequestReader } from './reader.ts';
import { claimWarning, emptyCounters, markRemoteGivenUp, remoteGivenUp, STATS_ENV, writeCounters } from './stats.ts';

/** Remote requests in flight at once, per process. */
const CONCURRENCY = 8;

let args: CacheProgArgs;
try {
  args = parseCacheProgArgs(process.argv.slice(2), process.env);
} catch (err) {
  process.stderr.write(`orchestrion cacheprog: ${(err as Error).message}\n${USAGE}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
if (args.help) {
  process.stderr.write(`${USAGE}\n(orchestrion help cacheprog tells more)\n`);
  process.exit(0);
}

process.stdout.write(handshakeLine());

const statsDir = process.env[STATS_ENV] || undefined;
const counters = emptyCounters();
counters.processes = 1;
const warned = new Set<string>();
/** One warning of a kind per process, and per build when the build has a stats directory. */
function warn(kind: string, message: string): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  if (claimWarning(statsDir, kind)) process.stderr.write(`orchestrion cacheprog: warning: ${message}\n`);
}

process.stdout.on('error', () => process.exit(1)); // go is gone

/**
 * Ends the process once everything is answered. Node's own teardown can deadlock (a V8 worker
 * thread joined at exit, nodejs/node#54918; three times in one day of bench runs here, each a build
 * that never ended). So: stdout is closed first (go waits for that, not for our exit:
 * cmd/go/internal/cache/prog.go), and a watchdog kills this process if it is still there after
 * 3 s, since a hung process would keep holding the stderr it shares with go (and whoever reads
 * go's stderr to its end would wait for ever). The watchdog holds a pipe from us: when we exit,
 * however we exit, the pipe closes and it ends without killing; while the pipe is open we are alive,
 * so our PID cannot have been reused. Without `timeout` (not Linux), there is no watchdog.
 */
function exit(): void {
  try {
    fs.closeSync(1);
  } catch {
    // already closed
  }
  try {
    const watchdog = spawn('sh', ['-c', `timeout 3 cat >/dev/null; [ $? -eq 124 ] && kill -9 ${process.pid}`], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watchdog.on('error', () => {});
    watchdog.unref();
  } catch {
    // no watchdog
  }
  process.exit(0);
}

async function start(): Promise<void> {
  const local = new LocalStore(args.dir);
  let remote;
  if (args.remote !== undefined) {
    const { RemoteCache } = await import('./remote.ts');
    remote = new RemoteCache(
      { url: args.remote, authorization: args.authorization, timeoutMs: args.timeoutMs, concurrency: CONCURRENCY, onProblem: warn, onDown: () => markRemoteGivenUp(statsDir) },
      counters,
    );
    // Another process of this build found it down (and warned): misses at once rather than another wait.
    if (remoteGivenUp(statsDir)) remote.down = true;
    counters.remote = 1;
    if (args.readOnly) counters.readOnly = 1;
  }
  // A process of an `orchestrion go` build: prefetches its role's part of the index the wrapper
  // found, and records what go asks for (prefetch.ts).
  const role = roleOf(process.env);
  const index = role && statsDir ? readPrefetchFile(statsDir) : undefined;
  const recorder = role && index ? new Recorder(role) : undefined;
  let ended = false;
  /** Trims now and then, records the counters, and ends once `last` (close's answer) is written. */
  const end = (last?: Response): void => {
    if (ended) return;
    ended = true;
    local.maybeTrim();
    if (statsDir) {
      recorder?.write(statsDir);
      writeCounters(statsDir, counters);
    }
    if (last) process.stdout.write(responseLine(last), exit);
    else exit();
  };
  const prog = new CacheProg({
    local,
    remote,
    readOnly: args.readOnly,
    counters,
    respond: (res) => process.stdout.write(responseLine(res)),
    close: (id) => end({ id }),
    warn: (message) => warn('local', `${args.dir}: ${message}`),
    recorder,
  });
  if (index && role) void prog.prefetch(index[role]);
  const reader = new RequestReader({
    openBody: () => local.tempBody(),
    request: (req, body) => prog.handle(req, body),
  });
  process.stdin.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (err) {
      process.stderr.write(`orchestrion cacheprog: ${(err as Error).message}\n`);
      process.exit(1);
    }
  });
  // go closes our stdin after close's answer, or when it ends without a close: finish the uploads first.
  process.stdin.on('end', () => {
    try {
      reader.end();
    } catch (err) {
      // go went away in the middle of a put: nothing to answer; the half-written body stays in
      // tmp/ until a trim.
      process.stderr.write(`orchestrion cacheprog: ${(err as Error).message}\n`);
    }
    void prog.drain().then(() => end());
  });
}

void start();
