// A connection carried over a MessagePort: `orchestrion go` accepts toolexec connections on its own
// thread (so that a build that never connects never starts the server) and forwards each one's
// bytes to the server's worker thread, where this Duplex stands for the socket.
import { Duplex } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';

/** The worker's end: a Duplex whose bytes come from and go to the port. */
export class PortSocket extends Duplex {
  private readonly port: MessagePort;
  constructor(port: MessagePort) {
    super();
    this.port = port;
    port.on('message', (m: Uint8Array | null) => {
      if (m === null) this.push(null);
      else this.push(Buffer.from(m.buffer, m.byteOffset, m.byteLength));
    });
    port.on('close', () => this.destroy());
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.port.postMessage(chunk);
    cb();
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.port.postMessage(null);
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.port.close();
    cb(err);
  }
}

/** The accepting thread's end: relays `socket` to `port` both ways; either side closing closes both. */
export function relay(socket: import('node:net').Socket, port: MessagePort): void {
  socket.on('data', (b: Buffer) => port.postMessage(b));
  socket.on('end', () => port.postMessage(null));
  socket.on('close', () => port.close());
  socket.on('error', () => socket.destroy());
  port.on('message', (m: Uint8Array | null) => {
    if (m === null) socket.end();
    else if (socket.writable) socket.write(m);
  });
  port.on('close', () => socket.destroy());
}
