// Runs a JobServer in a worker thread of the `orchestrion go` process, exposed with comlink as a
// long-lived object: the CLI thread only accepts connections, starts `go` and waits, while the
// server's requests, JSON and pool dispatch run on their own event loop. host.ts starts this worker
// only when a toolexec call first connects or the configuration must be prepared.
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { PortSocket } from './portsocket.ts';
import type { StatsResult } from './protocol.ts';
import { JobServer, type Prepared, type ServerOptions } from './server.ts';
import type { Toolchain } from '../wasm/module.ts';

export class ServerHost {
  private server: JobServer | undefined;

  /** `socketPath`: where the accepting thread listens (for logs and the server's URL). */
  start(opts: ServerOptions, socketPath: string): void {
    this.server = JobServer.detached(opts, socketPath);
  }

  /** Serves one connection the accepting thread relays over `port`. */
  accept(port: MessagePort): void {
    if (!this.server) throw new Error('job server not started');
    this.server.accept(new PortSocket(port));
  }

  /** Loads and validates the configuration; rejects with a message naming file, position and aspect. */
  async prepare(tc: Toolchain): Promise<Prepared> {
    if (!this.server) throw new Error('job server not started');
    return this.server.prepare(tc);
  }

  /** Resolves an earlier build's package sets ahead of the requests (JobServer.prefetch). */
  prefetch(sets: string[][]): void {
    void this.server?.prefetch(sets);
  }

  /** The package sets this build's toolexec calls asked to resolve. */
  resolveRequests(): string[][] {
    return this.server?.resolveRequests() ?? [];
  }

  async stats(): Promise<StatsResult | undefined> {
    return this.server?.statsSnapshot();
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}

if (!parentPort) throw new Error('host-worker must run in a worker thread');
Comlink.expose(new ServerHost(), nodeEndpoint(parentPort));
