// The packages aspects may inject, and a fingerprint of their sources. cmd/go does not see injected
// packages in a package's dependencies, so its cache key for an instrumented package would not
// change when an injected package changes; the fingerprint goes into the `-V=full` suffix instead
// (as Orchestrion does), so editing a local runtime module rebuilds what was woven with it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import type { SourcedAspect } from './load.ts';
import { impliedImports } from './prefilter.ts';

/**
 * Import path → id of the first aspect that may inject it (advice `imports`, `links`,
 * `add-blank-import`), leaving out the paths the aspect's own join point implies are imported.
 */
export function injectedPaths(aspects: SourcedAspect[]): Map<string, string> {
  const out = new Map<string, string>();
  let implied = new Set<string>();
  const add = (p: unknown, id: string) => {
    if (typeof p === 'string' && p !== '' && p !== 'unsafe' && !implied.has(p) && !out.has(p)) out.set(p, id);
  };
  const visit = (v: unknown, key: string, id: string) => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, key === 'links' ? 'links' : '', id);
      return;
    }
    if (typeof v === 'string') {
      if (key === 'links' || key === 'add-blank-import') add(v, id);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'imports' && typeof x === 'object' && x !== null) for (const p of Object.values(x)) add(p, id);
      else visit(x, k, id);
    }
  };
  for (const { aspect } of aspects) {
    implied = impliedImports(aspect['join-point']);
    visit(aspect.advice, '', aspect.id);
  }
  return out;
}

interface ListedPackage {
  ImportPath: string;
  Dir?: string;
  Standard?: boolean;
  Module?: { Path: string; Version?: string; Sum?: string; Dir?: string; Replace?: { Path: string; Version?: string; Dir?: string } };
  GoFiles?: string[];
  CgoFiles?: string[];
  CFiles?: string[];
  CXXFiles?: string[];
  HFiles?: string[];
  SFiles?: string[];
  SysoFiles?: string[];
  EmbedFiles?: string[];
  OtherFiles?: string[];
  Error?: { Err: string };
}

/** The files of a package that its compile reads, whose names (and, for local packages, contents) are hashed. */
const FILE_LISTS = ['GoFiles', 'CgoFiles', 'CFiles', 'CXXFiles', 'HFiles', 'SFiles', 'SysoFiles', 'EmbedFiles', 'OtherFiles'] as const;

/**
 * Build flags left out of the fingerprint: those that cannot change a compiled package (so that a
 * change of, say, `-ldflags -X main.version=…` does not invalidate every compile), and those whose
 * whole effect on the injectable packages is already in the listing (`-tags` selects files, `-mod`
 * and `-modfile` move directories and versions). Every other flag goes in as given (a change of
 * those rebuilds every package anyway).
 */
const UNHASHED_FLAGS = new Set(['ldflags', 'buildvcs', 'modcacherw', 'installsuffix', 'pkgdir', 'tags', 'mod', 'modfile']);

/** The values of a stream of concatenated JSON objects, as `go list -json` prints them. */
export function* jsonStream(text: string): Generator<unknown> {
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) yield JSON.parse(text.slice(start, i + 1));
  }
}

export interface InjectablesFingerprint {
  hash: string;
  /** The local files and package directories the hash read: when none changed, neither did the hash. */
  inputs: string[];
}

/**
 * Hash of everything an injectable package's export data depends on that cmd/go's key for the
 * package importing it does not see (it does not know the import): each package of the closure
 * with where its directory is (module cache, replace target, vendor/ or workspace module: a switch
 * of mode moves it; no absolute path, see portableDir), its module, the names of the files the build's tags select, the contents of every
 * file outside the read-only module cache, and the build flags that apply per package
 * (`-gcflags=pattern=…`, `-overlay`, …). Listed with the build's own flags, so `-tags`, `-mod` and
 * GOFLAGS select what the build will compile. Throws an error naming the aspect when an injected
 * package cannot be found.
 */
export async function injectablesFingerprint(root: string, injected: Map<string, string>, env: NodeJS.ProcessEnv, buildFlags: string[] = []): Promise<InjectablesFingerprint> {
  if (injected.size === 0) return { hash: '', inputs: [] };
  const inputs: string[] = [];
  const paths = [...injected.keys()].sort();
  const fields = ['ImportPath', 'Dir', 'Standard', 'Module', ...FILE_LISTS, 'Error'].join(',');
  // Without go's module index: on a cold GOCACHE, building it (for every package of each module the
  // closure touches, dd-trace-go's hundreds) took most of this list's second, before go could start
  // its first compile; the child builds that compile these packages build it later, beside go's work.
  const listEnv = { ...env, GODEBUG: [env.GODEBUG, 'goindex=0'].filter((v) => v).join(',') };
  const [r, goenv] = await Promise.all([
    execa('go', ['list', '-e', '-deps', `-json=${fields}`, ...buildFlags, '--', ...paths], { cwd: root, env: listEnv, reject: false }),
    execa('go', ['env', 'GOMODCACHE', 'GOWORK'], { cwd: root, env, reject: false }),
  ]);
  if (r.exitCode !== 0) throw new Error(`go list ${paths.join(' ')}: ${r.stderr.trim()}`);
  const [modcacheDir = '', gowork = ''] = goenv.exitCode === 0 ? goenv.stdout.split('\n').map((l) => l.trim()) : [];
  const readOnly = modcacheDir !== '' ? modcacheDir + path.sep : undefined;
  // What decides the mode without a flag: a vendor/modules.txt appearing or going, a go.work edited.
  inputs.push(path.join(root, 'vendor', 'modules.txt'));
  if (gowork !== '' && gowork !== 'off') inputs.push(gowork);
  const h = createHash('sha256');
  for (const f of buildFlags) {
    const name = /^-+([^=]+)/.exec(f)?.[1] ?? '';
    // The overlay's path is the machine's: what it substitutes is hashed instead.
    if (name === 'overlay') hashOverlay(h, f.slice(f.indexOf('=') + 1), root, inputs);
    else if (!UNHASHED_FLAGS.has(name)) h.update(`flag\0${f}\0`);
  }
  const problems: string[] = [];
  for (const raw of jsonStream(r.stdout)) {
    const pkg = raw as ListedPackage;
    if (pkg.Error && injected.has(pkg.ImportPath)) {
      problems.push(`aspect ${JSON.stringify(injected.get(pkg.ImportPath))} injects "${pkg.ImportPath}", which cannot be found: ${pkg.Error.Err}`);
      continue;
    }
    const m = pkg.Module;
    const files = FILE_LISTS.flatMap((k) => pkg[k] ?? []).sort();
    h.update(`pkg\0${pkg.ImportPath}\0${portableDir(pkg, root, readOnly)}\0${files.join('\0')}\0`);
    if (m) h.update(`mod\0${m.Path}@${m.Version ?? ''}\0${m.Sum ?? ''}\0${m.Replace ? `${m.Replace.Path}@${m.Replace.Version ?? ''}` : ''}\0`);
    // The toolchain's own sources are identified by the -V=full line; the module cache is read-only.
    if (pkg.Standard || !pkg.Dir || (readOnly !== undefined && pkg.Dir.startsWith(readOnly))) continue;
    inputs.push(pkg.Dir); // a file added or removed changes the directory
    for (const f of files) {
      const file = path.join(pkg.Dir, f);
      inputs.push(file);
      h.update(`${f}\0`);
      try {
        h.update(fs.readFileSync(file));
      } catch {
        h.update('<unreadable>');
      }
      h.update('\0');
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { hash: h.digest('hex'), inputs };
}

/**
 * Where a package's sources come from, without the machine's paths, so that CI workers with other
 * checkout and module-cache paths compute the same suffix: the module cache's own layout
 * (`path@version/dir`, immutable and also named by the module's sum), the standard library by its
 * import path (the toolchain is in the -V=full line), and anything else (the main module, vendor/,
 * replace targets, workspace modules) relative to the main module's root. A mode switch still
 * shows: the same package moves from `mod:` to `vendor/…` or `../…`.
 */
function portableDir(pkg: ListedPackage, root: string, modcache: string | undefined): string {
  if (pkg.Standard) return 'std';
  if (!pkg.Dir) return '';
  if (modcache !== undefined && pkg.Dir.startsWith(modcache)) return `mod:${pkg.Dir.slice(modcache.length).split(path.sep).join('/')}`;
  return `local:${path.relative(root, pkg.Dir).split(path.sep).join('/')}`;
}

/**
 * The files an `-overlay` substitutes: the build compiles their contents, not what is on disk. Each
 * replaced file counts by its path relative to the main module and the content that replaces it
 * (the overlay file's own text holds absolute paths, which would make the key the machine's).
 */
function hashOverlay(h: ReturnType<typeof createHash>, overlayFile: string, root: string, inputs: string[]): void {
  const file = path.resolve(root, overlayFile);
  inputs.push(file);
  let replace: Record<string, string>;
  try {
    replace = (JSON.parse(fs.readFileSync(file, 'utf8')) as { Replace?: Record<string, string> }).Replace ?? {};
  } catch {
    h.update('<unreadable overlay>');
    return;
  }
  const entries = Object.entries(replace).map(([from, to]) => [path.relative(root, path.resolve(root, from)).split(path.sep).join('/'), to] as const);
  for (const [from, target] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    h.update(`overlay\0${from}\0`);
    if (target === '') {
      h.update('<deleted>\0');
      continue;
    }
    const abs = path.resolve(path.dirname(file), target);
    inputs.push(abs);
    try {
      h.update(fs.readFileSync(abs));
    } catch {
      h.update('<unreadable>');
    }
    h.update('\0');
  }
}
