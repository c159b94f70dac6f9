// Runs a JobServer in a worker thread of the `orchestrion go` process, exposed with comlink as a
// long-lived object: the CLI thread only starts `go` and waits, while the server's socket traffic,
// JSON and pool dispatch run on their own event loop.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { StatsResult } from './protocol.ts';
import { JobServer, type ServerOptions } from './server.ts';
import type { Toolchain } from '../wasm/module.ts';

export class ServerHost {
  private server: JobServer | undefined;

  async start(opts: ServerOptions): Promise<string> {
    this.server = await JobServer.listen(opts);
    return this.server.url;
  }

  /** Loads and validates the configuration; rejects with a message naming file, position and aspect. */
  async prepare(tc: Toolchain): Promise<string> {
    if (!this.server) throw new Error('job server not started');
    return this.server.prepare(tc);
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
