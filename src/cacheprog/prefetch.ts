// The prefetch index: what the cacheprog processes of the last build of the same packages found or
// stored, in the order go asked, so that a fresh CI worker fetches it from the remote many requests
// at a time instead of one get at a time as go's (-p) workers ask. go asks two gets per cached
// package, one after the other (the archive, then its "stdout" subkey), each a round trip to the
// remote: a few milliseconds each, for the ~1000 gets of a traced app's link-time closure, on the
// critical path of worker 2 (docs/PERFORMANCE.md).
//
// The wrapper (`orchestrion go`) looks the index up through the build's GOCACHEPROG, under a key
// like the resolve hint's (no path of the machine), writes it as PREFETCH_FILE into the build's
// stats directory, and marks go's environment with the role `main`; the job server's child builds
// run with the role `child`. Each `orchestrion cacheprog` that has a role and finds the file there
// fetches its role's entries into the local store in the background, and records what its go
// asked for in a record file of that directory when it closes. After a successful build the
// wrapper merges the records into the next index, and stores it when it differs.
//
// An index entry is an action entry (ActionID → OutputID, size, time): it gives no more trust than
// /ac/ does, which its writers can write already, and every body is verified against its sha256 as
// any other. A stale or forged index costs bandwidth, never a wrong answer: go still asks for each
// action by the ID it computes itself. Kept free of heavy imports: the wrapper loads it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FALSE, TRUE } from './args.ts';

/** Set in go's environment: which of an index's lists a cacheprog process prefetches and records. */
export const ROLE_ENV = 'ORCHESTRION_CACHEPROG_ROLE';
export type Role = 'main' | 'child';
/** `0` (or false) turns the prefetch index off for an `orchestrion go` build. */
export const PREFETCH_ENV = 'ORCHESTRION_CACHEPROG_PREFETCH';
/** The index the wrapper found (empty when none), in the stats directory. */
export const PREFETCH_FILE = 'prefetch.idx';

const MAGIC = 'orchestrion-prefetch/1';
/** Per role: bounds what a forged or runaway index can make a worker fetch. */
const MAX_ENTRIES = 50_000;
const LINE = /^([mc]) ([0-9a-f]{64}) ([0-9a-f]{64}) (\d{1,15}) (\d{1,15})$/;
const RECORD_LINE = /^([0-9a-f]{64}) ([0-9a-f]{64}) (\d{1,15}) (\d{1,15})$/;

export interface IndexEntry {
  actionID: string;
  outputID: string;
  size: number;
  /** Unix milliseconds: the entry's time. */
  time: number;
}

export type PrefetchIndex = Record<Role, IndexEntry[]>;

/** Whether ORCHESTRION_CACHEPROG_PREFETCH allows the index (the default); a value that is no boolean is an error naming it. */
export function prefetchEnabled(env: NodeJS.ProcessEnv): boolean {
  const v = env[PREFETCH_ENV] ?? '';
  if (v === '' || TRUE.test(v)) return true;
  if (FALSE.test(v)) return false;
  throw new Error(`${PREFETCH_ENV}=${v}: not a boolean (0 turns the prefetch index off)`);
}

export function roleOf(env: NodeJS.ProcessEnv): Role | undefined {
  const r = env[ROLE_ENV];
  return r === 'main' || r === 'child' ? r : undefined;
}

export function encodeIndex(index: PrefetchIndex): Buffer {
  const lines = [MAGIC];
  for (const role of ['main', 'child'] as const) {
    for (const e of index[role]) lines.push(`${role[0]} ${e.actionID} ${e.outputID} ${e.size} ${e.time}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** The index in `body`; undefined when it is not one (another tool's entry, a truncated body). */
export function decodeIndex(body: Buffer | string): PrefetchIndex | undefined {
  const lines = body.toString('latin1').split('\n');
  if (lines[0] !== MAGIC || lines.at(-1) !== '') return undefined;
  const index: PrefetchIndex = { main: [], child: [] };
  for (const line of lines.slice(1, -1)) {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const list = index[m[1] === 'm' ? 'main' : 'child'];
    if (list.length >= MAX_ENTRIES) return undefined;
    list.push({ actionID: m[2]!, outputID: m[3]!, size: Number(m[4]), time: Number(m[5]) });
  }
  return index;
}

/** The index the wrapper left for this build in `statsDir`, or undefined when there is none. */
export function readPrefetchFile(statsDir: string): PrefetchIndex | undefined {
  let body: Buffer;
  try {
    body = fs.readFileSync(path.join(statsDir, PREFETCH_FILE));
  } catch {
    return undefined;
  }
  return body.length === 0 ? { main: [], child: [] } : decodeIndex(body);
}

/** Writes the index found (or an empty file: record, nothing to fetch) for the build's cacheprogs. */
export function writePrefetchFile(statsDir: string, index: PrefetchIndex | undefined): void {
  fs.writeFileSync(path.join(statsDir, PREFETCH_FILE), index ? encodeIndex(index) : '');
}

/** What one cacheprog process's go found or stored, in order: written once, when it closes. */
export class Recorder {
  private readonly seen = new Set<string>();
  private readonly lines: string[] = [];
  private readonly role: Role;

  constructor(role: Role) {
    this.role = role;
  }

  add(actionID: string, outputID: string, size: number, time: Date): void {
    if (this.seen.has(actionID)) return;
    this.seen.add(actionID);
    this.lines.push(`${actionID} ${outputID} ${size} ${time.getTime()}`);
  }

  /** Writes the record (whole or not at all) into the stats directory; never throws. */
  write(statsDir: string): void {
    if (this.lines.length === 0) return;
    try {
      const tmp = path.join(statsDir, `.${process.pid}.rec.tmp`);
      fs.writeFileSync(tmp, this.lines.join('\n') + '\n');
      fs.renameSync(tmp, path.join(statsDir, `${this.role}-${process.pid}-${Date.now()}.rec`));
    } catch {
      // the build is over (its directory removed): no record
    }
  }
}

/** The records of a build's cacheprogs, merged per role in the order they were written (first-seen wins). */
export function mergeRecords(statsDir: string): PrefetchIndex {
  const index: PrefetchIndex = { main: [], child: [] };
  let names: string[];
  try {
    names = fs.readdirSync(statsDir).filter((n) => n.endsWith('.rec'));
  } catch {
    return index;
  }
  const seen = { main: new Set<string>(), child: new Set<string>() };
  // By the time each was written: the order the processes closed in.
  names.sort((a, b) => Number(a.split('-')[2]!.slice(0, -4)) - Number(b.split('-')[2]!.slice(0, -4)));
  for (const name of names) {
    const role = name.startsWith('main-') ? 'main' : name.startsWith('child-') ? 'child' : undefined;
    if (!role) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(statsDir, name), 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const m = RECORD_LINE.exec(line);
      if (!m || seen[role].has(m[1]!) || index[role].length >= MAX_ENTRIES) continue;
      seen[role].add(m[1]!);
      index[role].push({ actionID: m[1]!, outputID: m[2]!, size: Number(m[3]), time: Number(m[4]) });
    }
  }
  return index;
}

/**
 * The actions of `used` that `index` does not list with the same output (per role, counted): none
 * means the next build is served as well by the index there is, and nothing is stored (a worker
 * that needed less than the index held does not replace it with its own part).
 */
export function uncovered(index: PrefetchIndex | undefined, used: PrefetchIndex): number {
  let n = 0;
  for (const role of ['main', 'child'] as const) {
    const m = new Map((index?.[role] ?? []).map((e) => [e.actionID, e.outputID]));
    for (const e of used[role]) if (m.get(e.actionID) !== e.outputID) n++;
  }
  return n;
}
