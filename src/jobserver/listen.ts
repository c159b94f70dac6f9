// The job server's socket: `<dir>/server.sock`, in a directory of mode 0700, the socket 0600. Kept
// apart from server.ts (which loads the configuration, the pool and execa) so that `orchestrion go`
// can listen at once and load the server only when a toolexec call first connects.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export async function listenUnix(dir: string): Promise<{ server: net.Server; socketPath: string }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const socketPath = path.join(dir, 'server.sock');
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);
  return { server, socketPath };
}
