// The files a `go build -work` tree holds for an instrumented build: each compile writes the files
// it changed to `$WORK/bNNN/orchestrion/src/<import path>/<file>`, the first line a `//line` directive
// naming the original file (`//line /abs/main.go:1:1`); the job server's child builds keep theirs
// in `$WORK/go-build<N>/bNNN/…`. The synthetic `link_deps_imports.go` of a main package has no
// directive: its original is unknown.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specialCase } from '../config/specialcase.ts';

/** The folder, inside a compile's `bNNN` directory, that holds what it wove. */
export const WOVEN_DIR = path.join('orchestrion', 'src');

export interface WovenFile {
  /** The original file named by the leading `//line` directive ('' when there is none). */
  original: string;
  /** The woven file, relative to the work directory (`b002/orchestrion/src/example.com/lib/lib.go`). */
  modified: string;
}

export class WorkDirError extends Error {}

/** `original -> modified`, as `orchestrion diff -files` prints it. */
export function describeFile(f: WovenFile): string {
  return `${f.original || '(unknown original path)'} -> ${f.modified}`;
}

/** The import path a woven file was compiled for: what follows `orchestrion/src/` in its directory. */
export function importPathOf(f: WovenFile): string {
  const dir = path.dirname(f.modified);
  const at = dir.indexOf(WOVEN_DIR);
  if (at < 0) return '';
  return dir.slice(at + WOVEN_DIR.length).replace(/^\/+|\/+$/g, '');
}

/**
 * The file named by a leading `//line` directive that points at the start of a file (`//line f`,
 * `//line f:1`, `//line f:1:1`); '' when the text does not start with one.
 */
export function leadingLineDirective(text: string): string {
  if (!text.startsWith('//line ')) return '';
  const end = text.slice(7).search(/[\r\n]/);
  let target = (end < 0 ? text.slice(7) : text.slice(7, 7 + end)).trim();
  // At most two numeric suffixes (line, then column), each of which must be 1.
  for (let i = 0; i < 2; i++) {
    const m = /:(\d+)$/.exec(target);
    if (!m) break;
    if (Number(m[1]) !== 1) return '';
    target = target.slice(0, m.index);
  }
  return target;
}

/**
 * Every woven `.go` file of a work directory, sorted by its path in the tree. The work directories
 * of the job server's child builds (`go-build*`, kept inside the build's own under -work) count as
 * part of it: they hold what those builds wove (packages the advice injects, and what they compiled
 * first).
 */
export function readWorkDir(root: string): WovenFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'ENOTDIR' ? 'not a directory' : e.message;
    throw new WorkDirError(`${root}: ${why}`);
  }
  const files: WovenFile[] = [];
  readWoven(root, '', entries, files);
  return files.sort((a, b) => compareStrings(a.modified, b.modified));
}

/** A child build's work directory, inside its parent's (`GOTMPDIR`): go names it `go-build<digits>`. */
const CHILD_WORK = /^go-build\d+$/;

function readWoven(root: string, prefix: string, entries: fs.Dirent[], files: WovenFile[]): void {
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const base = path.join(prefix, entry.name, WOVEN_DIR);
    let found: string[];
    try {
      found = fs.readdirSync(path.join(root, base), { recursive: true, encoding: 'utf8' });
    } catch {
      // A compile that wove nothing, or a child build's work directory.
      if (CHILD_WORK.test(entry.name)) {
        const dir = path.join(prefix, entry.name);
        readWoven(root, dir, fs.readdirSync(path.join(root, dir), { withFileTypes: true }), files);
      }
      continue;
    }
    for (const rel of found) {
      const modified = path.join(base, rel);
      if (!rel.endsWith('.go') || !fs.statSync(path.join(root, modified), { throwIfNoEntry: false })?.isFile()) continue;
      const original = leadingLineDirective(readHead(path.join(root, modified)));
      files.push({ original: original && path.normalize(original), modified });
    }
  }
}

/** The first line of a file (enough for its directive). */
function readHead(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Import paths whose woven files `diff` hides unless -debug: what the build weaves into the tracer
 * and into orchestrion itself (only tracer-internal aspects apply there), and the synthetic package
 * (link-time imports of a main package): the job server's special cases.
 */
export function hiddenUnlessDebug(importPath: string): boolean {
  return importPath === 'synthetic' || specialCase(importPath).mode !== 'normal';
}

/** Files sorted by import path, files of one package in tree order (the order -files and the diff use). */
export function byImportPath(files: WovenFile[]): WovenFile[] {
  // Array.prototype.sort is stable: the tree order of readWorkDir stays within a package.
  return [...files].sort((a, b) => compareStrings(importPathOf(a), importPathOf(b)));
}

/** The distinct import paths, sorted. */
export function packagesOf(files: WovenFile[]): string[] {
  return [...new Set(files.map(importPathOf))].sort(compareStrings);
}

/** Keeps the files whose path in the tree matches `pattern` (a regular expression, unanchored). */
export function filterByRegex(files: WovenFile[], pattern: string): WovenFile[] {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new WorkDirError(`invalid regex ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  return files.filter((f) => re.test(f.modified));
}
