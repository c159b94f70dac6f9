// The local store: a content-addressed directory that answers every hit, shared by every cacheprog
// process of the machine (go starts one per go command, nested ones included), so every file
// appears whole or not at all (written under tmp/, then renamed into place).
//
//   <dir>/objects/<2 hex>/<OutputID hex>   bodies: the DiskPath go reads
//   <dir>/actions/<2 hex>/<ActionID hex>   action entries (entry.ts)
//   <dir>/tmp/                             files being written
//
// A DiskPath must stay valid for as long as any go process may read it: a child `go list -export`
// prints export-file paths that its parent reads after the child's cacheprog closed. So nothing is
// removed while in use: files are only ever replaced by identical ones, and trim() removes what no
// process has used for days (a hit refreshes the file's modification time, as Go's own cache does).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatEntry, MAX_ENTRY_BYTES, parseEntry, type ActionEntry } from './entry.ts';
import type { BodySink } from './reader.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Entries unused this long are removed (Go's own cache: 5 days). */
const TRIM_AFTER = 5 * DAY;
/** How often a trim runs, at most (per store, whichever process comes first). */
const TRIM_EVERY = DAY;
/** A hit refreshes a file's modification time when it is older than this. */
const REFRESH_AFTER = HOUR;

/** A body written to a temporary file of the store, hashed on the way. */
export class TempBody implements BodySink {
  size = 0;
  /** The first write error (a full disk): the body is then unusable. */
  error: Error | undefined;
  private fd: number | undefined;
  private readonly hash = crypto.createHash('sha256');
  private digest: string | undefined;

  readonly path: string;

  constructor(file: string) {
    this.path = file;
    try {
      this.fd = fs.openSync(file, 'wx', 0o644);
    } catch (err) {
      this.error = err as Error;
    }
  }

  write(chunk: Buffer): void {
    if (this.error || this.fd === undefined) return;
    try {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(this.fd, chunk, off);
      this.hash.update(chunk);
      this.size += chunk.length;
    } catch (err) {
      this.error = err as Error;
    }
  }

  end(): void {
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch (err) {
      this.error ??= err as Error;
    }
    this.fd = undefined;
  }

  /** The sha256 of what was written, in hex (after end()). */
  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }

  discard(): void {
    this.end();
    fs.rmSync(this.path, { force: true });
  }
}

export class LocalStore {
  private readonly made = new Set<string>();
  private seq = 0;

  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  objectPath(outputID: string): string {
    return path.join(this.dir, 'objects', outputID.slice(0, 2), outputID);
  }

  private actionPath(actionID: string): string {
    return path.join(this.dir, 'actions', actionID.slice(0, 2), actionID);
  }

  /** A new temporary file to write a body into. */
  tempBody(): TempBody {
    const tmp = this.ensureDir(path.join(this.dir, 'tmp'));
    return new TempBody(path.join(tmp, `${process.pid}-${++this.seq}-${crypto.randomBytes(4).toString('hex')}`));
  }

  /** The entry of an action whose body is here, whole; undefined otherwise. */
  get(actionID: string): ActionEntry | undefined {
    const file = this.actionPath(actionID);
    let entry: ActionEntry | undefined;
    try {
      entry = parseEntry(readHead(file, MAX_ENTRY_BYTES));
    } catch {
      return undefined;
    }
    if (!entry || !this.hasObject(entry.outputID, entry.size)) return undefined;
    refresh(file);
    return entry;
  }

  /** Whether the body of an OutputID is here with that size (refreshing it when it is). */
  hasObject(outputID: string, size: number): boolean {
    const file = this.objectPath(outputID);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st || st.size !== size) return false;
    refresh(file, st);
    return true;
  }

  /**
   * Moves a finished temporary body into place as the object of its sha256, which the caller has
   * checked. When the object is there already, the temporary file goes instead: a file go may be
   * reading is never replaced for nothing. Returns the object's path.
   */
  commitObject(body: TempBody): string {
    const outputID = body.sha256();
    const dest = this.objectPath(outputID);
    if (this.hasObject(outputID, body.size)) {
      body.discard();
      return dest;
    }
    this.ensureDir(path.dirname(dest));
    fs.renameSync(body.path, dest);
    return dest;
  }

  /** Records an action's entry (its object must be in place first). */
  putEntry(actionID: string, entry: ActionEntry): void {
    const dest = this.actionPath(actionID);
    this.ensureDir(path.dirname(dest));
    const tmp = this.tempBody();
    tmp.write(Buffer.from(formatEntry(entry)));
    tmp.end();
    if (tmp.error) throw tmp.error;
    fs.renameSync(tmp.path, dest);
  }

  /**
   * Once a day at most: removes actions and objects no one used for TRIM_AFTER, and temporary files
   * older than a day (left by a killed process). Never fails: the cache works without it.
   */
  maybeTrim(now = Date.now()): void {
    const stamp = path.join(this.dir, 'trim.txt');
    try {
      const last = Number(fs.readFileSync(stamp, 'utf8'));
      if (now - last < TRIM_EVERY) return;
    } catch {
      // First use: nothing can be old yet.
      writeStamp(stamp, now);
      return;
    }
    // Written first, so that the other processes closing now do not walk the store too.
    writeStamp(stamp, now);
    for (const [sub, age] of [['actions', TRIM_AFTER], ['objects', TRIM_AFTER], ['tmp', DAY]] as const) {
      removeOlder(path.join(this.dir, sub), now - age, sub !== 'tmp');
    }
  }

  private ensureDir(dir: string): string {
    if (!this.made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    return dir;
  }
}

function readHead(file: string, max: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const n = fs.readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
}

/** Marks a file as used now when its mark is older than REFRESH_AFTER. */
function refresh(file: string, st?: fs.Stats): void {
  try {
    st ??= fs.statSync(file);
    const now = Date.now();
    if (now - st.mtimeMs > REFRESH_AFTER) fs.utimesSync(file, new Date(now), new Date(now));
  } catch {
    // a trim race or a read-only store: the hit stands
  }
}

function writeStamp(file: string, now: number): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, String(now));
  } catch {
    // no trim then
  }
}

/** Removes the files older than `before` under `dir` (one level of subdirectories when `nested`). */
function removeOlder(dir: string, before: number, nested: boolean): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (nested) {
      removeOlder(p, before, false);
      continue;
    }
    try {
      if (fs.statSync(p).mtimeMs < before) fs.rmSync(p, { force: true });
    } catch {
      // gone already
    }
  }
}
