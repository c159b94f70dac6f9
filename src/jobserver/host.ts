// Starts the in-process job server of `orchestrion go` in a worker thread (see host-worker.ts).
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ServerHost } from './host-worker.ts';
import type { ServerOptions } from './server.ts';

export interface HostedServer {
  url: string;
  host: Comlink.Remote<ServerHost>;
  /** Closes the server and ends the worker thread. */
  stop(): Promise<void>;
}

export async function startHostedServer(opts: ServerOptions): Promise<HostedServer> {
  const worker = new Worker(new URL('./host-worker.js', import.meta.url));
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const host = Comlink.wrap<ServerHost>(nodeEndpoint(worker));
  const url = await Promise.race([host.start(opts), failed]);
  return {
    url,
    host,
    async stop() {
      try {
        await host.close();
      } finally {
        host[Comlink.releaseProxy]();
        await worker.terminate();
      }
    },
  };
}
