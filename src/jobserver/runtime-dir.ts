// Where job servers put their sockets and files: a runtime directory private to the user
// (`orchestrion-ts-<uid>` under $XDG_RUNTIME_DIR or the temp dir), holding one directory per job
// server (`go-XXXXXX` for `orchestrion go`, `go-<go pid>` for a daemon). Each job-server directory
// records the process that owns it, so that a later run removes what a killed one left behind.
//
// The runtime directory is only used when it is a real directory (not a symbolic link), owned by
// the current user and writable by no one else; one of ours that others may merely read is
// tightened to 0700. When the name is taken by something unsafe (another user created it first,
// mode 0777, a link), the next name `orchestrion-ts-<uid>-1`, `-2`, … is tried under the same
// checks: every process of a build computes the same answer, so daemon-mode toolexec calls still
// meet in one directory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pidExists } from '../pid.ts';

const currentUid = (): number => process.getuid?.() ?? -1;

/** Names tried for the runtime directory: `orchestrion-ts-<uid>`, then `-1` … `-(FALLBACKS)`. */
const FALLBACKS = 9;

/** A job-server directory without an owner record is left alone while younger than this. */
const UNOWNED_GRACE_MS = 60_000;

const OWNER_FILE = 'owner';

/**
 * The job-server directories and the daemons' lock and log files, `go-<name>[.lock|.log]`, and the
 * persistent servers' directories, `srv-<key>` (their lock and log files are the starters' business).
 */
const JOB_ENTRY = /^(?:go-([A-Za-z0-9]{1,16})(\.lock|\.log)?|srv-[0-9a-f]{16})$/;

/**
 * The user's private runtime directory, created if needed. `warn` hears about each name passed
 * over (and why); throws, naming every directory tried, when none is safe.
 */
export function runtimeDir(warn?: (message: string) => void): string {
  const base = process.env.XDG_RUNTIME_DIR || os.tmpdir();
  const refused: string[] = [];
  for (let n = 0; n <= FALLBACKS; n++) {
    const dir = path.join(base, `orchestrion-ts-${currentUid()}${n === 0 ? '' : `-${n}`}`);
    const problem = claimPrivateDir(dir);
    if (problem === undefined) {
      if (refused.length > 0) warn?.(`not using ${refused.join('; ')}: using ${dir} instead`);
      return dir;
    }
    refused.push(`${dir} (${problem})`);
  }
  throw new Error(`no safe runtime directory for the job server's socket under ${base}: ${refused.join('; ')}; remove them or set XDG_RUNTIME_DIR to a directory of your own`);
}

/** Creates `dir` (0700) or checks the one there; undefined when it is ours and private, else why not. */
function claimPrivateDir(dir: string): string | undefined {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create it: ${(err as Error).message}`;
  }
  // Opened without following a link, so the checks and the chmod apply to the same directory.
  let fd: number;
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ELOOP' && code !== 'ENOTDIR') return `cannot open it: ${(err as Error).message}`;
    return fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink() ? 'it is a symbolic link' : 'it is not a directory';
  }
  try {
    const st = fs.fstatSync(fd);
    const problem = unsafeOwnerOrMode(st);
    if (problem) return problem;
    if ((st.mode & 0o077) !== 0) fs.fchmodSync(fd, 0o700);
    return undefined;
  } catch (err) {
    return `cannot check it: ${(err as Error).message}`;
  } finally {
    fs.closeSync(fd);
  }
}

/** Why a directory or socket with these attributes is not ours alone, or undefined. */
function unsafeOwnerOrMode(st: fs.Stats): string | undefined {
  const uid = currentUid();
  if (uid >= 0 && st.uid !== uid) return `owned by uid ${st.uid}, not by the current user (uid ${uid})`;
  if ((st.mode & 0o022) !== 0) return `writable by ${st.mode & 0o020 ? 'its group' : ''}${(st.mode & 0o022) === 0o022 ? ' and ' : ''}${st.mode & 0o002 ? 'others' : ''} (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}

/**
 * Why the toolexec calls must not talk to the server at `socketPath`, or undefined: the socket must
 * be ours, in a directory (not a link) that is ours and that no one else can write.
 */
export function untrustedSocket(socketPath: string): string | undefined {
  const dir = path.dirname(socketPath);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (err) {
    // Absent: connecting fails with its own message (and a daemon may not have created it yet).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `its directory ${dir} cannot be checked: ${(err as Error).message}`;
  }
  if (st.isSymbolicLink()) return `its directory ${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  let problem = unsafeOwnerOrMode(st);
  if (problem) return `its directory ${dir} is ${problem}`;
  try {
    st = fs.lstatSync(socketPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `it cannot be checked: ${(err as Error).message}`;
  }
  if (!st.isSocket()) return 'it is not a socket';
  problem = unsafeOwnerOrMode(st);
  return problem && `it is ${problem}`;
}

/** The daemon directory of the toolexec calls whose parent is the `go` process `goPid`. */
export function daemonDirFor(goPid: number, root = runtimeDir()): string {
  return path.join(root, `go-${goPid}`);
}

/**
 * Takes the lock file that elects the one process starting a server (O_EXCL, holding our pid);
 * false when another holds it. A lock older than 30 s is its starter's, dead: removed, so that a
 * later attempt can take it.
 */
export function takeStartLock(lock: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lock, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) fs.rmSync(lock, { force: true });
    } catch {
      // gone: the server is up, or will be retried
    }
    return false;
  }
  fs.writeSync(fd, String(process.pid));
  fs.closeSync(fd);
  return true;
}

/** The directory of the persistent server (`orchestrion server`) identified by `key` (16 hex digits). */
export function persistentDirFor(key: string, root = runtimeDir()): string {
  return path.join(root, `srv-${key}`);
}

/** Whether the process recorded as the owner of `dir` may still be running (no record: no). */
export function dirOwnerRunning(dir: string): boolean {
  const owner = readOwner(dir);
  if (owner === 'absent') return false;
  return owner === undefined || ownerRunning(owner);
}

/** A new job-server directory (`go-XXXXXX`, 0700) owned by this process. */
export function makeJobDir(root: string): string {
  const dir = fs.mkdtempSync(path.join(root, 'go-'));
  recordOwner(dir);
  return dir;
}

/** Creates `dir` if needed and records this process as its owner. */
export function claimJobDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  recordOwner(dir);
}

interface Owner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: start time after boot, in clock ticks (tells a reused pid apart). */
  start: string | undefined;
  /** The pid namespace the pid means something in (a shared /tmp may be seen from containers). */
  ns: string | undefined;
}

function recordOwner(dir: string): void {
  const me: Owner = { pid: process.pid, start: procStat(process.pid)?.start, ns: pidNamespace() };
  // Written aside and renamed, so that a sweeping process never reads half a record.
  const tmp = path.join(dir, `${OWNER_FILE}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(me) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, path.join(dir, OWNER_FILE));
}

function pidNamespace(): string | undefined {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

/** State (field 3) and start time (field 22) of a process, null when it does not exist, undefined when unknown. */
function procStat(pid: number): { state: string; start: string } | null | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat')) return null;
    return undefined;
  }
  // Field 2, the command name, is parenthesised and may itself hold spaces and parentheses.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, start] = [rest[0], rest[22 - 3]];
  return state && start ? { state, start } : undefined;
}

/** Whether the owner recorded for a directory may still be running (in doubt: yes). */
function ownerRunning(owner: Owner): boolean {
  const here = pidNamespace();
  if (owner.ns !== here) return true; // another pid namespace (or unknown): its pids cannot be checked here
  const stat = procStat(owner.pid);
  if (stat === null) return false;
  if (stat === undefined) return pidExists(owner.pid);
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === undefined || owner.start === stat.start;
}


/** Paths of the Unix sockets bound in this network namespace (Linux: /proc/net/unix; else none known). */
function boundSockets(): Set<string> {
  try {
    // Columns: Num RefCount Protocol Flags Type St Inode Path; the path (when bound) is the last.
    const row = /^\s*\S+:(?:\s+\S+){6} (\/.*)$/;
    return new Set(fs.readFileSync('/proc/net/unix', 'utf8').split('\n').flatMap((l) => row.exec(l)?.[1] ?? []));
  } catch {
    return new Set();
  }
}

function readOwner(dir: string): Owner | undefined | 'absent' {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : undefined;
  }
  try {
    const o = JSON.parse(text) as Owner;
    return Number.isInteger(o.pid) && o.pid > 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes from the runtime directory `root` the job-server directories whose owner process is gone
 * (a build killed with SIGKILL, a crashed daemon), and the lock and log files of daemons whose `go`
 * process is gone. Only our own entries (by name and owner uid) are considered; one without an
 * owner record is left alone for a minute, as it may be being created, and while a server listens
 * on its socket (made by an earlier version, which wrote no record). Returns what it removed.
 */
export function sweepRuntimeDir(root: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return removed;
  }
  const uid = currentUid();
  let bound: Set<string> | undefined;
  for (const name of names) {
    const m = JOB_ENTRY.exec(name);
    if (!m) continue;
    const entry = path.join(root, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(entry);
    } catch {
      continue;
    }
    if (st.uid !== uid && uid >= 0) continue;
    const old = Date.now() - st.mtimeMs > UNOWNED_GRACE_MS;
    let stale: boolean;
    if (m[2]) stale = st.isFile() && old && /^\d+$/.test(m[1]!) && !pidExists(Number(m[1]));
    else if (!st.isDirectory()) stale = false;
    else {
      const owner = readOwner(entry);
      // Without a record (being created, or made by a version that wrote none): old, and no one
      // listening on its socket.
      if (owner === 'absent' || owner === undefined) stale = old && !(bound ??= boundSockets()).has(path.join(entry, 'server.sock'));
      else stale = !ownerRunning(owner);
    }
    if (!stale) continue;
    try {
      fs.rmSync(entry, { recursive: true, force: true });
      removed.push(entry);
    } catch {
      // another sweeper got there first, or it cannot be removed: try again next time
    }
  }
  return removed;
}
