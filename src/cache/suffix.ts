// The suffix cache: the `-V=full` suffix of a configuration, kept on disk across builds with the
// files it was computed from. Computing it means loading the configuration (`go list`), validating
// every aspect in the wasm injector and fingerprinting the injectable packages (`go list -deps`):
// seconds on a large configuration, paid before go can even hash its first action. With an entry
// whose inputs are unchanged, `orchestrion go` hands go the suffix at once, and a warm no-op build
// starts no wasm and runs no `go list`.
//
// Key: everything the computation reads besides the files (tool build ID, module root, go env,
// build flags). Entry: the suffix and the identity (inode, size, mtime, ctime in ns) of every input
// file and directory, absent ones included. Any difference is a miss.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from './dir.ts';

const FORMAT = 1;
const RACY_MARGIN_MS = 100;

interface Entry {
  format: number;
  suffix: string;
  inputs: Record<string, string>;
}

export function suffixCacheKey(parts: Record<string, unknown>): string {
  const keys = Object.keys(parts).sort();
  return createHash('sha256')
    .update(JSON.stringify(keys.map((k) => [k, parts[k]])))
    .digest('hex');
}

function identity(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'absent';
  }
}

/** Whether an input was changed at or after `since` (ms, minus a margin above the kernel's timestamp granularity). */
export function changedSince(inputs: string[], since: number): boolean {
  for (const file of new Set(inputs)) {
    try {
      const s = fs.statSync(file);
      if (Math.max(s.mtimeMs, s.ctimeMs) >= since - RACY_MARGIN_MS) return true;
    } catch {
      // absent: nothing to vouch for
    }
  }
  return false;
}

const entryFile = (key: string) => path.join(userCacheDir(), 'suffix', `${key}.json`);

/** The cached suffix for `key`, if every input is as it was when it was stored. */
export function readSuffix(key: string): string | undefined {
  let e: Entry;
  try {
    e = JSON.parse(fs.readFileSync(entryFile(key), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (e.format !== FORMAT || typeof e.suffix !== 'string') return undefined;
  for (const [file, id] of Object.entries(e.inputs)) if (identity(file) !== id) return undefined;
  return e.suffix;
}

/**
 * Stores `suffix` for `key`, unless an input changed at or after `since` (ms, minus a margin well
 * above the kernel's timestamp granularity): the computation may have read it before that change
 * (git's "racy" files), so its identity would vouch for the wrong content.
 */
export function writeSuffix(key: string, suffix: string, inputs: string[], since: number): void {
  if (changedSince(inputs, since)) return;
  const rec: Record<string, string> = {};
  for (const file of new Set(inputs)) rec[file] = identity(file);
  const file = entryFile(key);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, suffix, inputs: rec } satisfies Entry));
    fs.renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs the next build the computation
  }
}
