// Job-server client used by the toolexec entry. Imports only node:net: it is on the hot path.
import * as net from 'node:net';
import { PROTOCOL_VERSION, encode, lineReader, socketPathOf, type Method, type Methods, type Response } from './protocol.ts';

export class JobServerError extends Error {}

export class Client {
  private nextID = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void; method: string }>();
  private closedError: Error | undefined;

  private readonly socket: net.Socket;
  readonly url: string;

  private constructor(socket: net.Socket, url: string) {
    this.socket = socket;
    this.url = url;
    socket.on(
      'data',
      lineReader((line) => {
        let msg: Response;
        try {
          msg = JSON.parse(line) as Response;
        } catch {
          this.failAll(new JobServerError(`job server at ${url} sent invalid JSON: ${line.slice(0, 200)}`));
          return;
        }
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if ('error' in msg) p.reject(new JobServerError(msg.error.message));
        else p.resolve(msg.result);
      }),
    );
    socket.on('error', (err) => this.failAll(new JobServerError(`job server at ${url}: ${err.message}`)));
    socket.on('close', () => this.failAll(new JobServerError(`job server at ${url} closed the connection (did it die?)`)));
  }

  /** Connects to the server at `url` (`unix:<path>`). Rejects with the socket error (e.g. ENOENT, ECONNREFUSED). */
  static connect(url: string): Promise<Client> {
    const path = socketPathOf(url);
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new Client(socket, url));
      });
      socket.once('error', reject);
    });
  }

  call<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextID++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, method });
      this.socket.write(encode({ v: PROTOCOL_VERSION, id, method, params }));
    });
  }

  close(): void {
    this.closedError ??= new JobServerError('client closed');
    this.socket.end();
  }

  private failAll(err: Error): void {
    this.closedError ??= err;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new JobServerError(`${p.method}: ${err.message}`));
    }
  }
}
