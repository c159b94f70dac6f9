// The process a build starts when no persistent server of its module answers (persistent-client.ts):
//   node dist/jobserver/persistent-main.js '<PersistentOptions as JSON>'
// Detached, in a session of its own, so that a terminal's signals reach the builds, not the server.
import * as fs from 'node:fs';
import { startPersistentServer, type PersistentOptions } from './persistent.ts';

let opts: PersistentOptions;
try {
  opts = JSON.parse(process.argv[2] ?? '') as PersistentOptions;
} catch {
  console.error('usage: persistent-main.js <options as JSON>');
  process.exit(2);
}
try {
  const running = await startPersistentServer(opts);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void running.stop(sig));
  await running.done;
  fs.rmSync(`${opts.dir}.log`, { force: true }); // the start-up log matters only to a server that failed
  process.exit(0);
} catch (err) {
  console.error(`orchestrion server: ${(err as Error).message}`);
  if (opts.lockFile) fs.rmSync(opts.lockFile, { force: true });
  fs.rmSync(opts.dir, { recursive: true, force: true });
  process.exit(1);
}
