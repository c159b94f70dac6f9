// How `orchestrion go` finds the persistent job server of its module (persistent.ts), starting it
// when none answers, and drives its build's session. Part of the wrapper's bundle: it loads none of
// the server's modules.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGoDuration } from '../goduration.ts';
import { Client } from './client.ts';
import type { BuildServer } from './host.ts';
import type { PersistentOptions } from './persistent.ts';
import { dirOwnerRunning, persistentDirFor, takeStartLock, untrustedSocket } from './runtime-dir.ts';
import { GATE_DIR_ENV } from './compile-gate.ts';

/** `ORCHESTRION_SERVER`: `persistent` (one server per module, reused) or `per-build` (one per `orchestrion go`). */
export const SERVER_MODE_ENV = 'ORCHESTRION_SERVER';
/** `ORCHESTRION_SERVER_TIMEOUT`: how long a persistent server started by a build waits for the next one (Go duration). */
export const SERVER_TIMEOUT_ENV = 'ORCHESTRION_SERVER_TIMEOUT';
/** Where a persistent server writes its debug log (ORCHESTRION_LOG_FILE is the build's, not the server's). */
export const SERVER_LOG_ENV = 'ORCHESTRION_SERVER_LOG_FILE';

/** The same as the server Orchestrion's client starts for toolexec calls. */
export const DEFAULT_IDLE_MS = 15 * 60_000;
/** Idle wasm workers hold most of the server's memory: freed sooner than the server ends. */
export const POOL_IDLE_MS = 2 * 60_000;
const START_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether builds use a persistent server: yes unless ORCHESTRION_SERVER says otherwise, or CI is set
 * (a CI job builds once, and a server left behind would only hold memory). Throws naming the variable.
 */
export function persistentServerWanted(env: NodeJS.ProcessEnv): boolean {
  const v = env[SERVER_MODE_ENV];
  if (v === undefined || v === '') return !env.CI || env.CI === 'false' || env.CI === '0';
  if (v === 'persistent') return true;
  if (v === 'per-build') return false;
  throw new Error(`${SERVER_MODE_ENV}=${v}: expected "persistent" or "per-build"`);
}

/** The inactivity timeout of servers builds start (ORCHESTRION_SERVER_TIMEOUT), in ms. */
export function serverIdleMs(env: NodeJS.ProcessEnv): number {
  const v = env[SERVER_TIMEOUT_ENV];
  return v ? parseGoDuration(v, SERVER_TIMEOUT_ENV) : DEFAULT_IDLE_MS;
}

export interface ServerIdentity {
  root: string;
  goroot: string;
  goversion: string;
  /** The orchestrion build (dist/build-id): a rebuilt tool never talks to an older server. */
  tool: string;
}

/**
 * The key of the persistent server for a module, toolchain and orchestrion build; the memory
 * settings too, which the server's workers were sized by.
 */
export function serverKey(id: ServerIdentity, env: NodeJS.ProcessEnv): string {
  const memory = ['ORCHESTRION_MAX_MEMORY', 'ORCHESTRION_WORKERS', 'ORCHESTRION_WASM_RECYCLE_MIB'].map((k) => env[k] ?? '');
  return createHash('sha256')
    .update(JSON.stringify([id.root, id.goroot, id.goversion, id.tool, memory]))
    .digest('hex')
    .slice(0, 16);
}

export interface SessionOptions {
  runtime: string;
  id: ServerIdentity;
  goArgs: string[];
  env: NodeJS.ProcessEnv;
  knownSuffix?: string;
  /** dist/, where persistent-main.js is. */
  distDir: string;
}

/** A session as `orchestrion instrument` drives it: also every archive its child builds resolved. */
export interface Session extends BuildServer {
  resolvedArchives(): Promise<Map<string, string>>;
}

/** Opens a session on the module's persistent server (started if needed): its control client and URL. */
async function open(o: SessionOptions, extra: { knownSuffix?: string; goPid?: number; suffixCacheKey?: string }): Promise<{ control: Client; opened: { url: string } }> {
  const dir = persistentDirFor(serverKey(o.id, o.env), o.runtime);
  const env = Object.fromEntries(Object.entries(o.env).filter((e): e is [string, string] => e[1] !== undefined));
  for (let attempt = 1; ; attempt++) {
    const control = await connectOrStart(dir, o);
    try {
      return { control, opened: await control.call('session.open', { root: o.id.root, goArgs: o.goArgs, env, ...extra }) };
    } catch (err) {
      control.close();
      // A server reaching its idle timeout as this build connected: the next one starts afresh.
      if (attempt >= 2 || !/closed the connection/.test((err as Error).message)) throw err;
    }
  }
}

/** Opens this build's session on the module's persistent server, starting the server if needed. */
export async function openSession(o: SessionOptions): Promise<Session> {
  const { control, opened } = await open(o, o.knownSuffix !== undefined ? { knownSuffix: o.knownSuffix } : {});
  return {
    url: opened.url,
    prepare: (tc) => control.call('session.prepare', { goroot: tc.goroot, goversion: tc.version }),
    prefetch(sets, when) {
      if (sets.length > 0) void control.call('session.prefetch', { sets, onFirstCall: when === 'first-call' }).catch(() => {});
    },
    resolveRequests: async () => (await control.call('session.resolved', {})).sets,
    stats: () => control.call('stats', {}),
    resolvedArchives: async () => new Map(Object.entries((await control.call('session.archives', {})).archives)),
    async stop(graceMs) {
      const closing = control.call('session.close', {}).catch(() => {});
      if (graceMs === undefined) await closing;
      else await Promise.race([closing, sleep(graceMs)]);
      control.close();
    },
  };
}

/**
 * Opens a session for the toolexec calls of the plain `go` process `goPid` on the module's
 * persistent server (started if needed): it listens where those calls look for a daemon and ends
 * with that process. Returns its URL.
 */
export async function openGoSession(o: SessionOptions & { goPid: number; suffixCacheKey: string }): Promise<string> {
  const { control, opened } = await open(o, { goPid: o.goPid, suffixCacheKey: o.suffixCacheKey, ...(o.knownSuffix !== undefined && { knownSuffix: o.knownSuffix }) });
  control.close();
  return opened.url;
}

/** A client on the control socket in `dir`: the running server's, or one this call starts. */
async function connectOrStart(dir: string, o: SessionOptions): Promise<Client> {
  const socket = path.join(dir, 'server.sock');
  const url = `unix:${socket}`;
  const lock = `${dir}.lock`;
  const logFile = `${dir}.log`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let started = false; ; ) {
    const problem = untrustedSocket(socket);
    if (problem) throw new Error(`refusing the persistent job server at ${url}: ${problem}`);
    try {
      return await Client.connect(url);
    } catch {
      // not running, or not listening yet
    }
    if (!started) started = tryStart(dir, lock, logFile, o);
    if (Date.now() > deadline) {
      let detail = '';
      try {
        detail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      } catch {
        // no log
      }
      throw new Error(`no persistent job server answered at ${url} within ${START_TIMEOUT_MS / 1000}s${detail ? `; its log says:\n${detail}` : ''}`);
    }
    await sleep(20);
  }
}

/**
 * Starts the server unless another process is starting one (the lock) or one still owns the
 * directory (shutting down: it removes the directory as it exits). Returns whether it started one.
 */
function tryStart(dir: string, lock: string, logFile: string, o: SessionOptions): boolean {
  if (!takeStartLock(lock)) return false;
  if (dirOwnerRunning(dir)) {
    fs.rmSync(lock, { force: true });
    return false;
  }
  fs.rmSync(dir, { recursive: true, force: true }); // what a crashed server left
  const opts: PersistentOptions = { dir, root: o.id.root, idleMs: serverIdleMs(o.env), poolIdleMs: POOL_IDLE_MS, lockFile: lock, goArgs: o.goArgs };
  const out = fs.openSync(logFile, 'w', 0o600);
  const env: NodeJS.ProcessEnv = { ...o.env, TOOLEXEC_IMPORTPATH: '' };
  // The build's debug log is the build's: the server logs where ORCHESTRION_SERVER_LOG_FILE says.
  delete env.ORCHESTRION_LOG_FILE;
  if (env[SERVER_LOG_ENV]) env.ORCHESTRION_LOG_FILE = env[SERVER_LOG_ENV];
  // The first build's gate directory is that build's (each session has its own, in its env).
  delete env[GATE_DIR_ENV];
  // As bin/orchestrion does for every long-lived process (src/malloc-tuning.ts).
  if (!env.MALLOC_ARENA_MAX && !env.MALLOC_TRIM_THRESHOLD_) Object.assign(env, { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '1048576' });
  const child = spawn(process.execPath, [path.join(o.distDir, 'jobserver', 'persistent-main.js'), JSON.stringify(opts)], {
    detached: true,
    stdio: ['ignore', out, out],
    env,
    cwd: o.id.root,
  });
  child.unref();
  fs.closeSync(out);
  return true;
}
