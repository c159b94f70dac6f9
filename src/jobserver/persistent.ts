// The persistent job server (`orchestrion server`): one process per user, module root, toolchain and
// orchestrion build, found through `<runtime dir>/srv-<key>/server.sock`, that serves build after
// build. Each `orchestrion go` opens a session on that control socket: a JobServer of its own (its
// never-build-twice table, its counters, its environment and flags, its own socket for its toolexec
// calls) over what the builds share (SharedState: the warm wasm workers, the loaded configuration,
// the resolutions of injected packages). The session ends when its control connection closes, so a
// wrapper that dies takes its session, and the session's child builds, with it.
//
// The server frees its wasm workers after a few idle minutes, and exits after the inactivity
// timeout without a session, when the module root is removed, or when its `-url-file` is deleted.
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { logEvent } from '../log.ts';
import { listenUnix } from './listen.ts';
import { serveRequests, type Method, type Methods } from './protocol.ts';
import { pidExists } from '../pid.ts';
import { claimJobDir, daemonDirFor } from './runtime-dir.ts';
import { JobServer, type ConfigState } from './server.ts';
import { SharedState } from './shared.ts';

export interface PersistentOptions {
  /** `<runtime dir>/srv-<key>`: created and owned by this process, removed when it exits. */
  dir: string;
  /** The module root every session must build. */
  root: string;
  /** Exit after this long without a session or a connection (ms). */
  idleMs: number;
  /** Free the wasm workers after this long without a task and without a session (ms). */
  poolIdleMs: number;
  /** Orchestrion's `-url-file`: a session for plain `go build -toolexec` calls, its URL written here. */
  urlFile?: string;
  /** That session's build flags (`-build-flags`, `-parent-pid`). */
  goArgs?: string[];
  /** The starter's lock file, removed once the server listens. */
  lockFile?: string;
}

export interface RunningServer {
  /** Settles once the server has shut down (idle, root removed, url file removed, or stop()). */
  done: Promise<string>;
  stop(reason: string): Promise<void>;
}

export async function startPersistentServer(opts: PersistentOptions): Promise<RunningServer> {
  claimJobDir(opts.dir);
  const { server, socketPath } = await listenUnix(opts.dir);
  if (opts.lockFile) fs.rmSync(opts.lockFile, { force: true });
  const shared = new SharedState<ConfigState>();
  const controls = new Set<net.Socket>();
  const sessions = new Set<JobServer>();
  let lastActivity = Date.now();
  let closing: Promise<void> | undefined;
  let finished!: (reason: string) => void;
  const done = new Promise<string>((resolve) => (finished = resolve));
  let nextSession = 0;
  // Sessions of plain `go` processes (SessionOpenParams.goPid), ended when their process is.
  const goSessions = new Map<JobServer, number>();

  const openSession = async (p: Methods['session.open']['params']): Promise<JobServer> => {
    if (p.root !== opts.root) throw new Error(`this job server serves the module at ${opts.root}, not ${p.root}`);
    let dir = path.join(opts.dir, `s-${nextSession++}`);
    if (p.goPid !== undefined) {
      // Where that go process's toolexec calls look (connect.ts), owned by this process so that a
      // sweep removes it if this server is killed.
      dir = daemonDirFor(p.goPid, path.dirname(opts.dir));
      fs.rmSync(dir, { recursive: true, force: true });
      claimJobDir(dir);
    }
    const js = await JobServer.listen({ root: p.root, dir, goArgs: p.goArgs, env: p.env, knownSuffix: p.knownSuffix, suffixCacheKey: p.suffixCacheKey, shared });
    sessions.add(js);
    if (p.goPid !== undefined) goSessions.set(js, p.goPid);
    return js;
  };
  const endGoSessions = () => {
    for (const [js, pid] of goSessions) {
      if (pidExists(pid)) continue;
      goSessions.delete(js);
      sessions.delete(js);
      logEvent('session.go-exit', { goPid: pid });
      void js.close();
    }
  };

  // The session for plain `go build -toolexec` calls that find the server through `-url-file`.
  let urlSession: JobServer | undefined;
  if (opts.urlFile) {
    urlSession = await openSession({ root: opts.root, goArgs: opts.goArgs ?? ['build'], env: process.env as Record<string, string> });
    const tmp = `${opts.urlFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, urlSession.url);
    fs.renameSync(tmp, opts.urlFile);
  }

  server.on('connection', (sock) => {
    controls.add(sock);
    lastActivity = Date.now();
    let session: Promise<JobServer> | undefined;
    const end = async () => {
      const js = await session?.catch(() => undefined);
      // A go process's session outlives the toolexec call that opened it.
      if (js && !goSessions.has(js) && sessions.delete(js)) await js.close();
      lastActivity = Date.now();
    };
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      controls.delete(sock);
      void end();
    });
    const handle = async <M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> => {
      type R = Methods[M]['result'];
      if (method === 'session.open') {
        if (session) throw new Error('session.open: this connection has a session already');
        const p = params as Methods['session.open']['params'];
        session = openSession(p);
        const js = await session;
        logEvent('session.open', { url: js.url, sessions: sessions.size, ...(p.goPid !== undefined && { goPid: p.goPid }) });
        return { url: js.url, pid: process.pid } as R;
      }
      if (!session) throw new Error(`${method}: open a session first (the control socket serves sessions; toolexec calls connect to a session's URL)`);
      const js = await session;
      switch (method) {
        case 'session.prepare': {
          const p = params as Methods['session.prepare']['params'];
          return (await js.prepare({ goroot: p.goroot, version: p.goversion })) as R;
        }
        case 'session.prefetch': {
          const p = params as Methods['session.prefetch']['params'];
          if (p.onFirstCall) js.prefetchOnFirstCall(p.sets);
          else void js.prefetch(p.sets);
          return {} as R;
        }
        case 'session.resolved':
          return { sets: js.resolveRequests() } as R;
        case 'stats':
          return js.statsSnapshot() as R;
        case 'session.close':
          await end();
          return {} as R;
        case 'session.archives':
          return { archives: Object.fromEntries(await js.resolvedArchives()) } as R;
      }
      throw new Error(`${method}: not served on the control socket (toolexec calls connect to a session's URL)`);
    };
    serveRequests(
      sock,
      (req) => handle(req.method, req.params),
      () => (lastActivity = Date.now()),
    );
  });

  const stop = (reason: string): Promise<void> =>
    (closing ??= (async () => {
      logEvent('persistent.exit', { reason });
      clearInterval(timer);
      const listening = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of controls) s.destroy();
      await Promise.allSettled([...sessions].map((js) => js.close()));
      sessions.clear();
      goSessions.clear();
      await listening;
      await shared.closePools();
      fs.rmSync(opts.dir, { recursive: true, force: true });
      if (opts.urlFile && urlSession) {
        // Only the file that still names this server: another may have taken its place.
        try {
          if (fs.readFileSync(opts.urlFile, 'utf8') === urlSession.url) fs.rmSync(opts.urlFile, { force: true });
        } catch {
          // gone already
        }
      }
      finished(reason);
    })());

  const timer = setInterval(() => {
    const now = Date.now();
    endGoSessions();
    if (controls.size > 0 || goSessions.size > 0 || (urlSession && urlSession.connectionCount > 0)) lastActivity = now;
    if (urlSession) lastActivity = Math.max(lastActivity, urlSession.lastActivity);
    const idle = now - lastActivity;
    if (!fs.existsSync(opts.root)) void stop(`module root ${opts.root} removed`);
    else if (opts.urlFile && !fs.existsSync(opts.urlFile)) void stop(`url file ${opts.urlFile} removed`);
    else if (idle > opts.idleMs) void stop('idle');
    else if (shared.poolCount > 0 && idle > opts.poolIdleMs && now - shared.poolsUsed > opts.poolIdleMs) {
      logEvent('persistent.pools-freed', { idleMs: idle });
      void shared.closePools();
    }
  }, Math.min(250, Math.max(50, opts.idleMs / 4)));
  logEvent('persistent.listen', { url: `unix:${socketPath}`, root: opts.root, idleMs: opts.idleMs });
  return { done, stop };
}
