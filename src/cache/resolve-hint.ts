// Resolve hints: the package sets a build's toolexec calls asked the job server to resolve (the
// injected packages of woven compiles, a link's link-time dependencies), kept so that the next
// build of the same packages with the same suffix can start those child builds at once, beside
// go's own work, instead of when the compile or link that needs them runs (JobServer.prefetch).
// A hint only decides what is started early: every request is still answered by its own child
// build, so a stale or forged hint costs work, never a wrong answer.
//
// Kept on this machine (the user cache directory), and, under GOCACHEPROG, in the shared cache
// beside the shared suffix (src/wrapper/shared-suffix.ts), where a fresh CI worker finds it. Key:
// the suffix cache's key (tool, root, go env, build flags; its shared form has no path), the
// subcommand and the package arguments. Entry: the suffix it was recorded under (a hint for another
// suffix is not used) and the sets, each sorted, in order of first request.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goPositionals } from '../goflags.ts';
import { userCacheDir } from './dir.ts';

const FORMAT = 1;
/** Bounds what a forged or runaway entry can make a build start. */
const MAX_SETS = 64;
const MAX_PACKAGES = 4096;

export interface ResolveHint {
  suffix: string;
  sets: string[][];
}

/** What, besides the suffix cache's key, a hint is for: the subcommand and its package arguments. */
export function hintTarget(subcommandArgs: string[]): { subcommand: string; packages: string[] } {
  return { subcommand: subcommandArgs[0] ?? '', packages: goPositionals(subcommandArgs) };
}

export function encodeHint(hint: ResolveHint): Buffer {
  return Buffer.from(JSON.stringify({ format: FORMAT, suffix: hint.suffix, sets: hint.sets }));
}

/** The hint in `body` if it is well formed and recorded under `suffix`. */
export function decodeHint(body: Buffer | string, suffix: string): ResolveHint | undefined {
  let e: { format?: unknown; suffix?: unknown; sets?: unknown };
  try {
    e = JSON.parse(body.toString()) as typeof e;
  } catch {
    return undefined;
  }
  if (e?.format !== FORMAT || e.suffix !== suffix || !Array.isArray(e.sets) || e.sets.length > MAX_SETS) return undefined;
  let total = 0;
  for (const set of e.sets) {
    if (!Array.isArray(set) || set.some((p) => typeof p !== 'string' || p === '' || p.startsWith('-'))) return undefined;
    total += set.length;
  }
  if (total > MAX_PACKAGES) return undefined;
  return { suffix, sets: e.sets as string[][] };
}

/**
 * The set to resolve ahead: what the end of the build asks, a main package's compile (its rounds
 * come last, each asking for the link-time dependencies of what the previous one resolved) and, when
 * it goes through Node, the link: the largest set asked, with every set asked after it. Each of
 * those requests is then answered from that one child build (a compile gets exactly its packages and
 * their dependencies from it, a link takes it whole).
 */
export function prefetchSet(sets: string[][]): string[] | undefined {
  if (sets.length === 0) return undefined;
  let from = 0;
  sets.forEach((s, i) => {
    if (s.length >= sets[from]!.length) from = i;
  });
  return [...new Set(sets.slice(from).flat())].sort();
}

export function sameSets(a: string[][], b: string[][]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const hintFile = (key: string, target: object) =>
  path.join(userCacheDir(), 'resolve-hint', `${createHash('sha256').update(`${key}\0${JSON.stringify(target)}`).digest('hex')}.json`);

/** This machine's hint for the suffix cache key `key` and `target`, if recorded under `suffix`. */
export function readLocalHint(key: string, target: object, suffix: string): ResolveHint | undefined {
  try {
    return decodeHint(fs.readFileSync(hintFile(key, target)), suffix);
  } catch {
    return undefined;
  }
}

/** Stores a hint (written aside and renamed: a reader never sees half of one). Never throws. */
export function writeLocalHint(key: string, target: object, hint: ResolveHint): void {
  const file = hintFile(key, target);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, encodeHint(hint));
    fs.renameSync(tmp, file);
  } catch {
    // a hint is an optimisation
  }
}
