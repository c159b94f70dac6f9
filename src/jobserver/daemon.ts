// Started by the first toolexec call of a `go` command that was not run through `orchestrion go`.
// Outside CI it opens a session for that `go` process on the module's persistent server (started if
// needed), which listens in <dir> and ends with the process, and exits. Otherwise, or when that
// fails, it is the job server itself: it serves the toolexec calls of that one `go` process and
// exits when that process ends, or after an idle timeout.
//   node dist/jobserver/daemon.js <dir> <go pid> <lock file>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logEvent } from '../log.ts';
import { readSuffix, suffixCacheKey } from '../cache/suffix.ts';
import { childBuildArgs, parseGoFlags, stripToolexec } from '../goflags.ts';
import { goEnv, rootFromGoMod } from '../wrapper/goenv.ts';
import { openGoSession, persistentServerWanted } from './persistent-client.ts';
import { moduleRoot } from './moduleroot.ts';
import { pidExists } from '../pid.ts';
import { claimJobDir, sweepRuntimeDir } from './runtime-dir.ts';
import { JobServer } from './server.ts';

const [dir, pidArg, lockFile] = process.argv.slice(2);
const goPid = Number(pidArg);
if (!dir || !Number.isInteger(goPid) || goPid <= 1 || !lockFile) {
  console.error('usage: daemon.js <dir> <go pid> <lock file>');
  process.exit(2);
}
const idleMs = Number(process.env.ORCHESTRION_DAEMON_IDLE_MS) || 5 * 60_000;

// The `go` command's working directory decides the main module, as for `orchestrion go`.
let cwd = process.cwd();
try {
  cwd = fs.readlinkSync(`/proc/${goPid}/cwd`);
} catch {
  // not Linux, or the process is gone: fall back to the directory the daemon was started in
}
// …and its command line the build flags child builds must share.
let goArgs: string[] | undefined;
try {
  goArgs = fs.readFileSync(`/proc/${goPid}/cmdline`, 'utf8').split('\0').slice(1, -1);
} catch {
  // unknown: child builds use the default flags
}

/** A session on the module's persistent server; false when that is not wanted or cannot be had. */
async function sessionOnPersistentServer(): Promise<boolean> {
  const distDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  let tool: string;
  try {
    if (!persistentServerWanted(process.env)) return false;
    tool = fs.readFileSync(path.join(distDir, 'build-id'), 'utf8').trim();
  } catch (err) {
    logEvent('daemon.persistent-skipped', { error: String(err) });
    return false;
  }
  if (!tool) return false;
  try {
    const ge = await goEnv(cwd, process.env);
    const root = rootFromGoMod(ge.GOMOD, cwd);
    const args = goArgs ?? ['build'];
    // The key `orchestrion go` would use for this build (wrapper/run.ts): a suffix either stored serves both.
    const key = suffixCacheKey({ tool, root, goenv: ge, goflags: stripToolexec(process.env.GOFLAGS), flags: childBuildArgs(parseGoFlags(args, '')) });
    const knownSuffix = readSuffix(key);
    const id = { root, goroot: ge.GOROOT, goversion: ge.GOVERSION, tool };
    const url = await openGoSession({ runtime: path.dirname(dir!), id, goArgs: args, env: process.env, distDir, goPid, knownSuffix, suffixCacheKey: key });
    logEvent('daemon.session', { url, suffixCached: knownSuffix !== undefined });
    return true;
  } catch (err) {
    // A build never fails for want of the shared server: this process serves it instead.
    logEvent('daemon.session-failed', { error: String(err) });
    return false;
  }
}

if (await sessionOnPersistentServer()) {
  fs.rmSync(lockFile, { force: true });
  const swept = sweepRuntimeDir(path.dirname(dir));
  if (swept.length > 0) logEvent('runtime-dir.sweep', { removed: swept });
  fs.rmSync(`${dir}.log`, { force: true });
  process.exit(0);
}

let server: JobServer;
try {
  // Owned by this process before anything else is put in it: a later sweep removes it if this
  // daemon is killed. Then what killed builds and daemons left behind goes.
  claimJobDir(dir);
  const swept = sweepRuntimeDir(path.dirname(dir));
  if (swept.length > 0) logEvent('runtime-dir.sweep', { removed: swept });
  server = await JobServer.listen({ root: await moduleRoot(cwd), dir, goArgs });
} catch (err) {
  console.error(`orchestrion job server: ${(err as Error).message}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(lockFile, { force: true });
  process.exit(1);
}
fs.rmSync(lockFile, { force: true });

let closing = false;
async function shutdown(reason: string): Promise<void> {
  if (closing) return;
  closing = true;
  logEvent('daemon.exit', { reason });
  await server.close();
  // The log only matters to the toolexec calls of a daemon that failed to start.
  fs.rmSync(`${dir}.log`, { force: true });
  process.exit(0);
}
const timer = setInterval(() => {
  if (!pidExists(goPid)) void shutdown(`go process ${goPid} ended`);
  else if (server.connectionCount === 0 && Date.now() - server.lastActivity > idleMs) void shutdown('idle');
}, 250);
timer.unref?.call(timer);
setInterval(() => {}, 1 << 30); // keep the process alive
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
