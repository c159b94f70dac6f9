// Package directories from go.mod alone, where go's own answer is certain: the configuration's
// orchestrion.tool.go files import a hundred packages (dd-trace-go's orchestrion/all), and `go list`
// of them on a cold GOCACHE indexed a hundred modules the build never compiles: a second before
// go's first compile could start. Anything this does not model exactly (a workspace, vendoring,
// -mod or -modfile, a local replacement, an exclude, a pre-1.17 module graph, a module not yet in
// the module cache, a path two modules could provide) answers undefined, and the caller asks go.
//
// What it relies on (cmd/go's modload, Go 1.17+): in a pruned module graph the main module's go.mod
// lists every module that provides a package its packages import (tool files included) at the
// version go selects, and go list answers with that listed version even when go.mod is not tidy;
// a package is provided by each build-list module whose path prefixes the import path and whose
// directory for it holds a .go file; the module cache's trees hold no nested modules, the main
// module's may (a go.mod below the root starts another module).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GoModFile {
  module: string;
  go: string;
  require: Map<string, string>;
  replace: { old: string; oldVersion?: string; new: string; newVersion?: string }[];
  exclude: boolean;
}

/** The tokens of a go.mod line: quoted strings unquoted, `//` comments dropped. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\/\/.*$)|(=>)|([^\s"`]+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[3] !== undefined) break;
    out.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? m[4] ?? m[5]!));
  }
  return out;
}

/** The directives this resolver needs from a go.mod; throws on a line it cannot read. */
export function parseGoMod(text: string): GoModFile {
  const mod: GoModFile = { module: '', go: '', require: new Map(), replace: [], exclude: false };
  let block = '';
  const directive = (verb: string, args: string[]) => {
    switch (verb) {
      case 'module':
        mod.module = args[0] ?? '';
        break;
      case 'go':
        mod.go = args[0] ?? '';
        break;
      case 'require':
        if (args.length !== 2) throw new Error(`require: expected a module path and a version, got ${JSON.stringify(args.join(' '))}`);
        mod.require.set(args[0]!, args[1]!);
        break;
      case 'replace': {
        const arrow = args.indexOf('=>');
        const left = args.slice(0, arrow);
        const right = args.slice(arrow + 1);
        if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2) throw new Error(`replace: cannot read ${JSON.stringify(args.join(' '))}`);
        mod.replace.push({ old: left[0]!, oldVersion: left[1], new: right[0]!, newVersion: right[1] });
        break;
      }
      case 'exclude':
        mod.exclude = true;
        break;
      default: // toolchain, godebug, retract, tool, ignore: nothing here depends on them
    }
  };
  for (const raw of text.split('\n')) {
    const t = tokens(raw);
    if (t.length === 0) continue;
    if (block !== '') {
      if (t[0] === ')' && t.length === 1) block = '';
      else directive(block, t);
      continue;
    }
    if (t[1] === '(' && t.length === 2) {
      block = t[0]!;
      continue;
    }
    directive(t[0]!, t.slice(1));
  }
  if (mod.module === '') throw new Error('no module directive');
  return mod;
}

/** The module cache's spelling of a path or version: each upper-case letter as `!` and its lower case. */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

function langAtLeast(v: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(v);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** Whether `dir` holds Go files (which makes its module provide the package), and only tests. */
function goFiles(dir: string): 'none' | 'tests' | 'some' {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.endsWith('.go') && (e.isFile() || e.isSymbolicLink()))
      .map((e) => e.name);
  } catch {
    return 'none';
  }
  if (names.length === 0) return 'none';
  return names.every((n) => n.endsWith('_test.go')) ? 'tests' : 'some';
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** What go's environment says, as `go env` prints it for the build. */
export interface ResolverEnv {
  GOMOD: string;
  GOWORK: string;
  GOFLAGS: string;
  GOMODCACHE: string;
}

/** Flags that move what go resolves (or where), which the resolver leaves to go. */
const MODE_FLAGS = /^--?(mod|modfile|overlay)(=|$)/;

export class ModuleResolver {
  private readonly root: string;
  private readonly gomod: GoModFile;
  private readonly modcache: string;

  private constructor(root: string, gomod: GoModFile, modcache: string) {
    this.root = root;
    this.gomod = gomod;
    this.modcache = modcache;
  }

  /**
   * A resolver for the main module at `root`, or why go must be asked instead. `env` is go's own
   * (`go env`), `buildFlags` the build's command-line flags.
   */
  static create(root: string, env: ResolverEnv, buildFlags: string[] = []): ModuleResolver | string {
    if (path.resolve(env.GOMOD) !== path.join(root, 'go.mod')) return `the main module is ${env.GOMOD || 'none'}`;
    if (env.GOWORK !== '' && env.GOWORK !== 'off') return 'a workspace is in use';
    if (env.GOMODCACHE === '') return 'no module cache';
    const flags = [...env.GOFLAGS.split(/\s+/).filter((f) => f !== ''), ...buildFlags];
    const mode = flags.find((f) => MODE_FLAGS.test(f));
    if (mode) return `the build sets ${mode}`;
    if (fs.existsSync(path.join(root, 'vendor'))) return 'the module has a vendor directory';
    let gomod: GoModFile;
    try {
      gomod = parseGoMod(fs.readFileSync(path.join(root, 'go.mod'), 'utf8'));
    } catch (err) {
      return `go.mod: ${(err as Error).message}`;
    }
    if (!langAtLeast(gomod.go, 1, 17)) return `go.mod says go ${gomod.go || '(none)'}, before pruned module graphs`;
    if (gomod.exclude) return 'go.mod has exclude directives';
    if (gomod.replace.some((r) => r.newVersion === undefined)) return 'go.mod replaces a module with a directory';
    return new ModuleResolver(root, gomod, env.GOMODCACHE);
  }

  /** Where a required module's files are: its replacement's, or its own, in the module cache. */
  private moduleDir(modPath: string, version: string): string {
    const r = this.gomod.replace.find((x) => x.old === modPath && (x.oldVersion === undefined || x.oldVersion === version));
    const [p, v] = r ? [r.new, r.newVersion!] : [modPath, version];
    return path.join(this.modcache, `${escapeModulePath(p)}@${escapeModulePath(v)}`);
  }

  /** The directory of package `importPath`, when exactly one module of go.mod provides it. */
  dir(importPath: string): string | undefined {
    // The standard library, and paths go would look up on the network or in GOROOT: go decides.
    if (!importPath.split('/')[0]!.includes('.')) return undefined;
    const found: { dir: string; files: 'tests' | 'some' }[] = [];
    const within = (mod: string) => importPath === mod || importPath.startsWith(`${mod}/`);
    if (within(this.gomod.module)) {
      const dir = path.join(this.root, importPath.slice(this.gomod.module.length));
      const files = goFiles(dir);
      if (files !== 'none' && !this.nestedModule(dir)) found.push({ dir, files });
    }
    for (const [mod, version] of this.gomod.require) {
      if (!within(mod)) continue;
      const base = this.moduleDir(mod, version);
      // Not downloaded yet: go would fetch it, and only then know whether it provides the package.
      if (!isDir(base)) return undefined;
      const dir = path.join(base, importPath.slice(mod.length));
      const files = goFiles(dir);
      if (files !== 'none') found.push({ dir, files });
    }
    // Test files alone provide the package, but go list reports it as an error: go says which.
    return found.length === 1 && found[0]!.files === 'some' ? found[0]!.dir : undefined;
  }

  /** Whether a go.mod between the main module's root (excluded) and `dir` starts another module. */
  private nestedModule(dir: string): boolean {
    for (let d = dir; d !== this.root && d.startsWith(this.root + path.sep); d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, 'go.mod'))) return true;
    }
    return false;
  }
}
