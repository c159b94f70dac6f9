// The job server of `orchestrion go`. This thread listens on the socket; the server itself runs in
// a worker thread (host-worker.ts, driven with comlink), started only when a toolexec call first
// connects or the configuration must be prepared: a warm no-op build, whose `-V=full` calls
// bin/orchestrion answers from the environment, never starts it (a worker's start-up and the
// server's modules cost ~350 ms of CPU, more than the whole no-op build).
import * as fs from 'node:fs';
import type { Socket } from 'node:net';
import { MessageChannel, Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ServerHost } from './host-worker.ts';
import { listenUnix } from './listen.ts';
import { relay } from './portsocket.ts';
import type { StatsResult } from './protocol.ts';
import type { Prepared, ServerOptions } from './server.ts';
import type { Toolchain } from '../wasm/module.ts';

/**
 * The job server of one `orchestrion go` build, as the wrapper drives it: hosted on a thread of the
 * wrapper (below), or a session of a persistent server (persistent-client.ts).
 */
export interface BuildServer {
  url: string;
  /** Loads and validates the configuration; rejects with a message naming file, position and aspect. */
  prepare(tc: Toolchain): Promise<Prepared>;
  /**
   * Closes the server (if it started), the listener, and ends the worker thread. `graceMs` bounds
   * the wait for the server's own close (after a signal: the wasm module may be being built).
   */
  stop(graceMs?: number): Promise<void>;
  /** The server's counters, if it started. */
  stats(): Promise<StatsResult | undefined>;
  /**
   * Has the server resolve `sets` ahead of the requests: `now`, or once the first toolexec call
   * arrives (`first-call`), so that a warm no-op build, which makes none, pays nothing for it.
   */
  prefetch(sets: string[][], when: 'now' | 'first-call'): void;
  /** The package sets this build's toolexec calls asked to resolve (none if the server never started). */
  resolveRequests(): Promise<string[][]>;
}

export interface HostedServer extends BuildServer {
  /** The server, started on first use. Rejects if the worker cannot start. */
  host(): Promise<Comlink.Remote<ServerHost>>;
}

/** `workerFile` is dist/jobserver/host-worker.js. */
export async function startHostedServer(opts: ServerOptions, workerFile: string): Promise<HostedServer> {
  const { server, socketPath } = await listenUnix(opts.dir);
  let worker: Worker | undefined;
  let started: Promise<Comlink.Remote<ServerHost>> | undefined;
  const host = () =>
    (started ??= (async () => {
      worker = new Worker(workerFile);
      const failed = new Promise<never>((_, reject) => worker!.once('error', reject));
      const remote = Comlink.wrap<ServerHost>(nodeEndpoint(worker));
      await Promise.race([remote.start(opts, socketPath), failed]);
      return remote;
    })());
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.pause();
    host().then(
      async (remote) => {
        const { port1, port2 } = new MessageChannel();
        await remote.accept(Comlink.transfer(port2, [port2]));
        relay(socket, port1);
        socket.resume();
        const sets = pendingPrefetch;
        pendingPrefetch = undefined;
        if (sets) void startPrefetch(sets);
      },
      () => socket.destroy(),
    );
  });
  let pendingPrefetch: string[][] | undefined;
  const startPrefetch = (sets: string[][]) =>
    host().then(
      (remote) => remote.prefetch(sets),
      () => {}, // the build's own requests will report a server that cannot start
    );
  return {
    url: `unix:${socketPath}`,
    host,
    async prepare(tc) {
      return (await host()).prepare(tc);
    },
    async stats() {
      const remote = started && (await started.catch(() => undefined));
      return remote ? remote.stats() : undefined;
    },
    prefetch(sets, when) {
      if (sets.length === 0) return;
      if (when === 'now' || started) void startPrefetch(sets);
      else pendingPrefetch = sets;
    },
    async resolveRequests() {
      const remote = started && (await started.catch(() => undefined));
      return remote ? remote.resolveRequests() : [];
    },
    async stop(graceMs) {
      pendingPrefetch = undefined;
      // Toolexec calls still connected (orphans of a go killed by a signal) must not hold the
      // listener open: close() waits for every connection to end.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      try {
        if (started) {
          const remote = await started.catch(() => undefined);
          if (remote) {
            const closing = remote.close();
            if (graceMs === undefined) await closing;
            else await Promise.race([closing.catch(() => {}), new Promise((r) => setTimeout(r, graceMs).unref())]);
            remote[Comlink.releaseProxy]();
          }
        }
      } finally {
        await worker?.terminate();
        fs.rmSync(opts.dir, { recursive: true, force: true });
      }
    },
  };
}
