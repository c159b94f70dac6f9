// What `orchestrion instrument` asks the go command: the packages as the compiler would get them
// (`go list -compiled` with the build's flags), and the export data a build gives their imports
// (`go list -deps -export` through orchestrion's toolexec, so dependencies are woven as a build
// weaves them and Go's build cache is shared with builds).
import { execa } from 'execa';
import * as path from 'node:path';
import { jsonStream } from '../config/injectables.ts';
import { PSEUDO, childBuild } from '../jobserver/childbuild.ts';
import { compareGoVersions } from '../toolexec/argv.ts';

export class InstrumentError extends Error {}

export interface ListedPackage {
  ImportPath: string;
  Name: string;
  Dir: string;
  Standard?: boolean;
  DepOnly?: boolean;
  GoFiles?: string[];
  CgoFiles?: string[];
  CompiledGoFiles?: string[];
  SFiles?: string[];
  Imports?: string[];
  ImportMap?: Record<string, string>;
  Module?: { Path: string; GoVersion?: string };
  EmbedPatterns?: string[];
  EmbedFiles?: string[];
  Error?: { Err: string };
  DepsErrors?: { Err: string }[];
}

const FIELDS = 'ImportPath,Name,Dir,Standard,DepOnly,GoFiles,CgoFiles,CompiledGoFiles,SFiles,Imports,ImportMap,Module,EmbedPatterns,EmbedFiles,Error,DepsErrors';

function goFailure(what: string, r: { stderr: string; exitCode?: number }): InstrumentError {
  return new InstrumentError(`${what}: ${r.stderr.trim() || `exit status ${r.exitCode}`}`);
}

/** The packages matched by `patterns` (and their dependencies with `deps`), in go list's order. */
export async function listPackages(patterns: string[], flags: string[], deps: boolean, cwd: string, env: NodeJS.ProcessEnv): Promise<ListedPackage[]> {
  const args = ['list', '-e', '-compiled', `-json=${FIELDS}`, ...(deps ? ['-deps'] : []), ...flags, '--', ...patterns];
  const r = await execa('go', args, { cwd, env, extendEnv: false, reject: false });
  const pkgs = [...jsonStream(r.stdout)] as ListedPackage[];
  if (r.exitCode !== 0 && pkgs.length === 0) throw goFailure('go list', r);
  // A package that does not load: go list's own words, naming it.
  const problems: string[] = [];
  for (const p of pkgs) {
    if (p.Error) problems.push(namePackage(p.ImportPath, p.Error.Err));
    else if (!p.DepOnly) for (const e of p.DepsErrors ?? []) problems.push(namePackage(p.ImportPath, e.Err));
  }
  if (problems.length > 0) throw new InstrumentError([...new Set(problems)].join('\n'));
  if (r.exitCode !== 0) throw goFailure('go list', r);
  return pkgs.filter((p) => !PSEUDO.has(p.ImportPath));
}

function namePackage(importPath: string, err: string): string {
  const e = err.trim();
  return e.startsWith(`${importPath}:`) || e.includes(`package ${importPath}`) ? e : `${importPath}: ${e}`;
}

/**
 * Export data of `imports` and everything they depend on, as a build of them with `flags` makes it:
 * a child build through `<bin> toolexec` and the job server at `env`'s ORCHESTRION_JOBSERVER_URL.
 */
export async function exportData(imports: string[], flags: string[], bin: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const wanted = imports.filter((p) => !PSEUDO.has(p));
  if (wanted.length === 0) return new Map();
  const r = await childBuild(wanted, { flags, bin, cwd, env });
  if (r.errors.length > 0) throw new InstrumentError(r.errors.map((e) => namePackage(e.importPath, e.err)).join('\n'));
  // A dependency that does not compile: the compiler's messages, under go's `# <package>` headers.
  if (r.exitCode !== 0) throw goFailure('building the dependencies', r);
  return r.archives;
}

/**
 * The -importcfg cmd/go writes for a compile of `p`: an `importmap` line for each import the
 * package spells differently from the package it resolves to (vendoring), then a `packagefile`
 * line for each import that has export data (not unsafe).
 */
export function importConfigFor(p: ListedPackage, archives: Map<string, string>): string {
  let out = '# import config\n';
  const resolved = new Set(p.Imports ?? []);
  for (const [raw, final] of Object.entries(p.ImportMap ?? {})) if (raw !== final && resolved.has(final)) out += `importmap ${raw}=${final}\n`;
  for (const imp of p.Imports ?? []) {
    if (PSEUDO.has(imp)) continue;
    const archive = archives.get(imp);
    if (!archive) throw new InstrumentError(`${p.ImportPath}: no export data for its import ${JSON.stringify(imp)}`);
    out += `packagefile ${imp}=${archive}\n`;
  }
  return out;
}

/** Go's default language version of a module whose go.mod has no `go` line. */
const DEFAULT_GO_MOD_VERSION = '1.16';

/**
 * The -lang cmd/go passes when compiling `p` with toolchain `goVersion` (`go env GOVERSION`): the
 * module's `go` version (1.16 when go.mod has none) when the toolchain allows it, else — and for
 * the standard library — the toolchain's own; major.minor only.
 */
export function langFor(p: ListedPackage, goVersion: string): string {
  const local = /go(\d+(?:\.\d+)*)/.exec(goVersion)?.[1] ?? '';
  let vers = local;
  if (p.Module) {
    const v = p.Module.GoVersion || DEFAULT_GO_MOD_VERSION;
    if (local === '' || compareGoVersions(v, local) <= 0) vers = v;
  }
  const mm = /^(\d+)(?:\.(\d+))?/.exec(vers);
  return mm ? `go${mm[1]}.${mm[2] ?? '0'}` : '';
}

/** The package's files in the compiler's order, as absolute paths (cgo's generated files included). */
export function compiledFiles(p: ListedPackage): string[] {
  const files = p.CompiledGoFiles ?? p.GoFiles ?? [];
  return files.map((f) => (path.isAbsolute(f) ? f : path.join(p.Dir, f)));
}

/**
 * The name cmd/go gives a file cgo generated, which `go list -compiled` names by its cache entry:
 * `<name>.cgo1.go` for the translation of `<name>.go` (its first //line directive names it),
 * `_cgo_import.go` for the dynamic imports, `_cgo_gotypes.go` for the rest.
 */
export function cgoFileName(p: ListedPackage, content: string): string {
  const head = content.slice(0, 2000);
  const source = /^\/\/line (.+):1:1$/m.exec(head)?.[1];
  if (source && path.dirname(source) === p.Dir && p.CgoFiles?.includes(path.basename(source))) return path.basename(source).replace(/\.go$/, '.cgo1.go');
  return /^\/\/go:cgo_import_dynamic /m.test(head) ? '_cgo_import.go' : '_cgo_gotypes.go';
}
