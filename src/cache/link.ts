// The link cache: the linker's output for a link whose every input archive is in go's cache, kept
// by a hash of everything the linker reads. cmd/go links again on every build of several packages
// (`go build ./...` discards its binaries, so there is no target to compare build IDs with) and for
// every `go test -count=1`; a woven program is larger than the plain one, so that relink was
// most of a warm no-op build's overhead (app C: the woven dlv, 2 s). go itself caches the
// executables of `go run` by the link's action ID; this does the same, only where the inputs are
// named by their content.
//
// Key (sha256): format, tool build ID, the linker (path, size, modification time), the C compiler
// and linker it may run for external linking (`-extld`, else $CC, else gcc; and ld: path, size,
// modification time, as found on PATH), the working directory, the environment but its volatile
// variables, the arguments but `-o`'s value and the importcfg's path, and the importcfg's content
// (after orchestrion's additions). cmd/go's `-buildid` argument carries the link's action ID. Only
// when every path among the arguments and every packagefile of the importcfg is an archive of go's
// cache (named by its content): a link reading an archive this build compiled is not kept.
//
// The entry is the linker's output as it wrote it (cmd/go then rewrites its build ID, on a copy);
// links that printed anything are not kept, so a cached link is silent as the one it replaces.
// Kept: the MAX_ENTRIES most recently used.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCachedArchive } from '../gobuild/archive.ts';
import { envIdentity } from '../gobuild/env.ts';
import { lookPath } from '../lookpath.ts';
import { userCacheDir } from './dir.ts';

const FORMAT = 1;
const MAX_ENTRIES = 8;

export interface LinkCall {
  toolBuildID: string;
  /** The linker's command line (the linker first). */
  args: string[];
  /** The value of -o, and of -importcfg (read after orchestrion rewrote it). */
  output: string;
  importcfg: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The entry's key, or undefined when the link reads something not named by its content. */
export function linkCacheKey(c: LinkCall): string | undefined {
  const h = createHash('sha256');
  const field = (s: string) => h.update(s).update('\0');
  field(`orchestrion-ts link ${FORMAT}`);
  field(c.toolBuildID);
  const tool = identity(c.args[0]!);
  if (tool === undefined) return undefined;
  field(tool);
  const extld = c.args.find((a) => a.startsWith('-extld='))?.slice('-extld='.length) || c.env.CC?.split(' ')[0] || 'gcc';
  for (const t of [extld, 'ld']) field(identity(lookPath(t, c.env.PATH)) ?? `${t} not found`);
  field(c.cwd);
  field(envIdentity(c.env));
  for (let i = 1; i < c.args.length; i++) {
    const a = c.args[i]!;
    if ((a === '-o' || a === '-importcfg') && i + 1 < c.args.length) {
      field(a);
      i++;
      continue;
    }
    if (a.startsWith('-o=') || a.startsWith('-importcfg=')) return undefined;
    if (a.includes('/') && !a.startsWith('-buildid') && !isCachedArchive(a)) return undefined;
    field(a);
  }
  let cfg: string;
  try {
    cfg = fs.readFileSync(c.importcfg, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of cfg.split('\n')) {
    if (!line.startsWith('packagefile ')) continue;
    if (!isCachedArchive(line.slice(line.indexOf('=') + 1))) return undefined;
  }
  field(cfg);
  return h.digest('hex');
}

const entryDir = () => path.join(userCacheDir(), 'link');

/** Copies the kept output of `key` to `output`; false when there is none. */
export function restoreLink(key: string, output: string): boolean {
  const entry = path.join(entryDir(), key);
  try {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    // A copy: cmd/go rewrites the build ID inside the file it gets.
    fs.copyFileSync(entry, output);
    fs.chmodSync(output, fs.statSync(entry).mode & 0o777);
    const now = new Date();
    fs.utimesSync(entry, now, now);
    return true;
  } catch {
    return false;
  }
}

/** Keeps the linker's `output` under `key`, and drops the least recently used entries past MAX_ENTRIES. */
export function storeLink(key: string, output: string): void {
  const dir = entryDir();
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${key}.${process.pid}`);
    fs.copyFileSync(output, tmp);
    fs.chmodSync(tmp, fs.statSync(output).mode & 0o777);
    fs.renameSync(tmp, path.join(dir, key));
    const entries = fs
      .readdirSync(dir)
      .map((n) => ({ n, t: fs.statSync(path.join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.t - a.t);
    // A copy a killed link left (.<key>.<pid>) goes once it is surely not being written.
    for (const { n, t } of entries) if (n.startsWith('.') && Date.now() - t > 10 * 60_000) fs.rmSync(path.join(dir, n), { force: true });
    for (const { n } of entries.filter((e) => !e.n.startsWith('.')).slice(MAX_ENTRIES)) fs.rmSync(path.join(dir, n), { force: true });
  } catch {
    // a cache that cannot be written only costs the next build the link
  }
}

function identity(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st && `${file}\0${st.size}\0${st.mtimeMs}`;
}
