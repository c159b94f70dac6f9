// The advisory lock `orchestrion pin` holds on a go.mod while it edits it, so two pins of one module
// never interleave. It is a separate file in the temporary directory, named as Orchestrion names it
// (`go mod tidy` locks go.mod itself), created exclusively and holding the owner's pid; a file whose
// owner is gone is taken over.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidExists } from '../pid.ts';

export function lockFileFor(goMod: string): string {
  const digest = createHash('sha512').update(goMod).digest('base64url');
  // Orchestrion uses Go's padded URL-safe base64.
  const padded = digest + '='.repeat((4 - (digest.length % 4)) % 4);
  return path.join(os.tmpdir(), `orchestrion-pin_${padded}_go.mod.lock`);
}

function ownerAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
  } catch {
    return true; // being written or just removed: look again
  }
  return Number.isInteger(pid) && pid > 0 && pidExists(pid);
}

/** Waits for the lock of `goMod` (polling), and returns its release. */
export async function lockGoMod(goMod: string, timeoutMs = 600_000): Promise<() => void> {
  const file = lockFileFor(goMod);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`failed to acquire lock on "${goMod}": ${(err as Error).message}`);
    }
    if (!ownerAlive(file)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`failed to acquire lock on "${goMod}": ${file} is held by another orchestrion pin`);
    await sleep(100);
  }
}
