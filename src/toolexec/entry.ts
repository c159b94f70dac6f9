// The first code every toolexec call runs (dist/toolexec.cjs). Most calls are for tools orchestrion
// does not touch (asm, cgo, pack, buildid, vet, …): those are handed to the real tool right here,
// before the rest of the toolexec code (dist/toolexec-main.cjs) is even read.
import { spawnSync } from 'node:child_process';
import { lookPath } from '../lookpath.ts';
import { toolKind } from './argv.ts';

const args = process.argv.slice(2);

function passThrough(argv: string[]): never {
  // The go command names some tools by bare name (it asks `gcc -###` for the C compiler's identity
  // through toolexec): execve does no PATH search, and a failed execve aborts node with a native
  // stack trace whose addresses would then end up in the go command's action IDs.
  const file = lookPath(argv[0]!);
  if (file === undefined) {
    process.stderr.write(`orchestrion toolexec: ${argv[0]}: executable file not found in $PATH\n`);
    process.exit(1);
  }
  const execve = (process as unknown as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (execve) execve(file, argv, process.env);
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`orchestrion toolexec: running ${argv[0]}: ${r.error.message}\n`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}

if (args.length > 0 && toolKind(args[0]!) === 'other') passThrough(args);
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./toolexec-main.cjs');
