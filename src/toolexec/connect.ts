// Finds the job server of this build: the one named in the environment (started by
// `orchestrion go`), else a daemon shared by every toolexec call of the same `go` process (our
// parent), started here by whichever call gets the lock first.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '../jobserver/client.ts';
import { JOBSERVER_ENV, socketPathOf } from '../jobserver/protocol.ts';
import { daemonDirFor, runtimeDir, takeStartLock, untrustedSocket } from '../jobserver/runtime-dir.ts';
import { logEvent } from '../log.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function connectJobServer(distDir: string): Promise<Client> {
  const fromEnv = process.env[JOBSERVER_ENV];
  if (fromEnv) {
    const problem = untrustedSocket(socketPathOf(fromEnv));
    if (problem) throw new Error(`refusing the job server at ${fromEnv} (${JOBSERVER_ENV}): ${problem}`);
    try {
      return await Client.connect(fromEnv);
    } catch (err) {
      throw new Error(`the job server at ${fromEnv} (${JOBSERVER_ENV}) is unreachable: ${(err as Error).message} (has the orchestrion command that started it exited?)`);
    }
  }
  const goPid = process.ppid;
  // Orphaned: the go command was interrupted after it started this call (a child forked after the
  // terminal signalled the group misses the signal). A daemon for init would never see it end.
  if (goPid <= 1) throw new Error('the go command that ran this tool has exited');
  const dir = daemonDirFor(goPid, runtimeDir((message) => logEvent('runtime-dir.fallback', { message })));
  const socket = path.join(dir, 'server.sock');
  const url = `unix:${socket}`;
  const lock = `${dir}.lock`;
  const logFile = `${dir}.log`;
  const timeoutS = Number(process.env.ORCHESTRION_JOB_SERVER_START_TIMEOUT_SECONDS) || 20;
  const deadline = Date.now() + timeoutS * 1000;
  let started = false;
  for (;;) {
    // Checked on every attempt: the socket appears once the daemon listens.
    const problem = untrustedSocket(socket);
    if (problem) throw new Error(`refusing the job server at ${url}: ${problem}`);
    try {
      const client = await Client.connect(url);
      process.env[JOBSERVER_ENV] = url;
      return client;
    } catch {
      // not up yet
    }
    if (process.ppid !== goPid) throw new Error(`the go command that ran this tool (pid ${goPid}) has exited`);
    if (!started) {
      started = tryStartDaemon(distDir, dir, goPid, lock, logFile);
    }
    if (Date.now() > deadline) {
      let detail = '';
      try {
        detail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      } catch {
        // no log
      }
      throw new Error(`no job server answered at ${url} within ${timeoutS}s${detail ? `; its log says:\n${detail}` : ''}`);
    }
    await sleep(20);
  }
}

/** Starts the daemon unless another call holds the start lock. Returns whether this call is done trying. */
function tryStartDaemon(distDir: string, dir: string, goPid: number, lock: string, logFile: string): boolean {
  if (!takeStartLock(lock)) return false;
  // A socket left by a daemon that crashed would make listen() fail.
  fs.rmSync(dir, { recursive: true, force: true });
  const out = fs.openSync(logFile, 'a', 0o600);
  const child = spawn(process.execPath, [path.join(distDir, 'jobserver', 'daemon.js'), dir, String(goPid), lock], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, TOOLEXEC_IMPORTPATH: '' },
  });
  child.unref();
  fs.closeSync(out);
  return true;
}
