// `orchestrion instrument`: what a build would weave into some packages, without building them.
// The configuration is prepared by a job server exactly as for `orchestrion go` (same suffix cache,
// same -V=full suffix, so Go's build cache is shared with builds); the packages' dependencies are
// compiled (woven) by a child `go list -export` through that server; then each package goes
// through `weave`, the very function a toolexec compile calls, with the importcfg and -lang cmd/go
// would give its compile.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSuffix, suffixCacheKey, writeSuffix } from '../cache/suffix.ts';
import { childBuildArgs, parseGoFlags, stripToolexec } from '../goflags.ts';
import { Client } from '../jobserver/client.ts';
import { JOBSERVER_ENV, VERSION_SUFFIX_ENV, type AspectVerdict, type SyntheticReference } from '../jobserver/protocol.ts';
import { makeJobDir, runtimeDir, sweepRuntimeDir } from '../jobserver/runtime-dir.ts';
import { openSession, persistentServerWanted, type Session } from '../jobserver/persistent-client.ts';
import { JobServer } from '../jobserver/server.ts';
import type { Toolchain } from '../wasm/module.ts';
import { weave, type WovenFile } from '../toolexec/weave.ts';
import { PROJECT_ROOT } from '../version.ts';
import { goEnv, rootFromGoMod, type GoEnv } from '../wrapper/goenv.ts';
import { cgoFileName, compiledFiles, exportData, importConfigFor, langFor, listPackages, type ListedPackage } from './golist.ts';
import { checkCompiles } from './typecheck.ts';
import { unifiedDiff } from './unidiff.ts';

export interface InstrumentOptions {
  /** go list patterns (default `.`). */
  patterns: string[];
  /** Build flags for go list and the child builds (`-tags x`, `-mod=vendor`, `-trimpath`, …). */
  buildFlags: string[];
  /** Also the dependencies of the named packages. */
  deps: boolean;
  /** Ask for each aspect's verdict. */
  explain: boolean;
  /** Also write each woven file to `<outDir>/<import path>/<file>`. */
  outDir?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Called as packages are woven (progress display). */
  progress?: (done: number, total: number, importPath: string) => void;
}

export interface FileReport {
  /** The original file (absolute). */
  path: string;
  /** `<import path>/<file name>`: the diff's label and the path under `-o`. */
  name: string;
  /** Where `-o` wrote the woven bytes, else null. */
  woven: string | null;
  /** Unified diff, original → woven. */
  diff: string;
  /** The woven bytes (not in the JSON document). */
  content: string;
}

export interface PackageReport {
  importPath: string;
  /** The package clause (`main` for a program). */
  name: string;
  dir: string;
  /** The -lang the compile gets (raised when the advice needs it), "" for none. */
  lang: string;
  files: FileReport[];
  /** Packages the advice imports or links (`import` / `relocation`). */
  references: SyntheticReference[];
  /** With explain: every aspect's verdict (undefined when the job server gave none). */
  explain?: AspectVerdict[];
}

export interface Report {
  /** The main module's root (where the configuration was loaded from). */
  root: string;
  packages: PackageReport[];
}

/** How many packages are woven at once (the job server's pool does the work). */
const CONCURRENCY = 4;

export async function instrumentPackages(opts: InstrumentOptions): Promise<Report> {
  const env: NodeJS.ProcessEnv = { ...opts.env, GOFLAGS: stripToolexec(opts.env.GOFLAGS) };
  delete env[JOBSERVER_ENV];
  delete env[VERSION_SUFFIX_ENV];
  delete env.TOOLEXEC_IMPORTPATH;
  const bin = env.ORCHESTRION_BIN || path.join(PROJECT_ROOT, 'bin', 'orchestrion');
  const goArgs = ['build', ...opts.buildFlags];
  // The flags a child build of `orchestrion go build <flags>` gets: what changes the packages' files
  // and export data (-tags, -mod, -trimpath, -gcflags, …), not -a, -n, -x, -work.
  const flags = childBuildArgs(parseGoFlags(goArgs, ''));
  const [ge, listed] = await Promise.all([goEnv(opts.cwd, env), listPackages(opts.patterns, flags, opts.deps, opts.cwd, env)]);
  const root = rootFromGoMod(ge.GOMOD, opts.cwd);
  // The suffix cache of `orchestrion go`, under the same key: a warm run neither validates the
  // aspects again nor fingerprints the injected packages, and both agree on the -V=full suffix.
  const distDir = path.join(PROJECT_ROOT, 'dist');
  const tool = readBuildID(distDir);
  const key = tool && suffixCacheKey({ tool, root, goenv: ge, goflags: env.GOFLAGS, flags });
  const knownSuffix = key ? readSuffix(key) : undefined;
  const runtime = runtimeDir();
  sweepRuntimeDir(runtime);
  const server = await instrumentServer({ root, runtime, goArgs, knownSuffix, tool, toolchain: { goroot: ge.GOROOT, version: ge.GOVERSION }, env, distDir });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrion-instrument-'));
  let client: Client | undefined;
  try {
    const since = Date.now();
    const toolchain = { goroot: ge.GOROOT, version: ge.GOVERSION };
    const prepared = await server.prepare(toolchain);
    if (key && knownSuffix === undefined) writeSuffix(key, prepared.suffix, prepared.inputs, since);

    let targets = opts.deps ? listed : listed.filter((p) => !p.DepOnly);
    const childEnv = { ...env, [JOBSERVER_ENV]: server.url, [VERSION_SUFFIX_ENV]: prepared.suffix };
    const archives = new Map<string, string>();
    const exportsOf = async (pkgs: ListedPackage[]) => {
      const imports = [...new Set(pkgs.flatMap((p) => p.Imports ?? []))].filter((p) => !archives.has(p)).sort();
      for (const [p, a] of await exportData(imports, flags, bin, opts.cwd, childEnv)) archives.set(p, a);
    };
    await exportsOf(targets);

    client = await Client.connect(server.url);
    const compiler = path.join(ge.GOROOT, 'pkg', 'tool', `${hostOS()}_${hostArch()}`, 'compile');
    const reports: PackageReport[] = [];
    let slots = 0; // each package's scratch directory, b<slot>
    let done = 0;
    let total = targets.length;
    const weaveAll = async (pkgs: ListedPackage[]) => {
      let next = 0;
      const worker = async () => {
        while (next < pkgs.length) {
          const p = pkgs[next++]!;
          const slot = slots++;
          reports.push(await weavePackage(client!, p, { work: path.join(work, `b${slot}`), archives, compiler, ge, opts, env: { ...env, GOOS: ge.GOOS, GOARCH: ge.GOARCH } }));
          opts.progress?.(++done, total, p.ImportPath);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pkgs.length) }, worker));
    };
    await weaveAll(targets);
    // With -deps, also what the advice injects (and all it depends on): a build compiles those too,
    // woven, in the job server's child builds. Weaving them may inject more, until nothing is new.
    const seen = new Set(listed.map((p) => p.ImportPath));
    while (opts.deps) {
      const resolved = await server.resolvedArchives();
      const extra = [...resolved.keys()].filter((p) => !seen.has(p)).sort();
      if (extra.length === 0) break;
      for (const p of extra) seen.add(p);
      // Their export data is the child builds' (same flags): their imports need no other build.
      for (const [p, a] of resolved) if (!archives.has(p)) archives.set(p, a);
      // Compiled already (by the child builds that resolved them): not checked again.
      targets = (await listPackages(extra, flags, false, opts.cwd, env)).map((p) => ({ ...p, DepOnly: true }));
      total += targets.length;
      await exportsOf(targets);
      await weaveAll(targets);
    }
    return { root, packages: reports.sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0)) };
  } finally {
    client?.close();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What instrument needs of a job server: a session of the module's persistent server, or its own. */
type InstrumentServer = Pick<Session, 'url' | 'prepare' | 'resolvedArchives' | 'stop'>;

async function instrumentServer(o: {
  root: string;
  runtime: string;
  goArgs: string[];
  knownSuffix: string | undefined;
  tool: string | undefined;
  toolchain: Toolchain;
  env: NodeJS.ProcessEnv;
  distDir: string;
}): Promise<InstrumentServer> {
  if (o.tool && persistentServerWanted(o.env)) {
    try {
      return await openSession({ runtime: o.runtime, id: { root: o.root, goroot: o.toolchain.goroot, goversion: o.toolchain.version, tool: o.tool }, goArgs: o.goArgs, env: o.env, knownSuffix: o.knownSuffix, distDir: o.distDir });
    } catch {
      // no persistent server could be reached or started: a server of its own, as without one
    }
  }
  const server = await JobServer.listen({ root: o.root, dir: makeJobDir(o.runtime), goArgs: o.goArgs, knownSuffix: o.knownSuffix });
  return { url: server.url, prepare: (tc) => server.prepare(tc), resolvedArchives: () => server.resolvedArchives(), stop: () => server.close() };
}

interface WeaveContext {
  work: string;
  archives: Map<string, string>;
  compiler: string;
  ge: GoEnv;
  opts: InstrumentOptions;
  /** The go command's environment; the compiler's too. */
  env: NodeJS.ProcessEnv;
}

async function weavePackage(client: Client, p: ListedPackage, ctx: WeaveContext): Promise<PackageReport> {
  fs.mkdirSync(ctx.work, { recursive: true });
  const importcfg = path.join(ctx.work, 'importcfg');
  fs.writeFileSync(importcfg, importConfigFor(p, ctx.archives));
  const lang = langFor(p, ctx.ge.GOVERSION);
  // cgo's output, which go list names by cache entry, goes in under the names a build gives it and
  // where a build has it: in the compile's own directory (a build's `$WORK/bNNN/sqlite3.cgo1.go`),
  // which the first //line directive of its woven file names.
  const cached = new Map<string, string>();
  const files = compiledFiles(p).map((f) => {
    if (f.endsWith('.go')) return f;
    const content = fs.readFileSync(f, 'utf8');
    const staged = path.join(ctx.work, cgoFileName(p, content));
    fs.writeFileSync(staged, content);
    cached.set(staged, f);
    return staged;
  });
  if (files.length === 0) return { importPath: p.ImportPath, name: p.Name, dir: p.Dir, lang, files: [], references: [] };
  // cmd/go's -p: `main` for a program, else the import path.
  const packageName = p.Name === 'main' ? 'main' : p.ImportPath;
  const w = await weave(client, {
    importPath: p.ImportPath,
    packageName,
    files,
    importcfg,
    lang,
    goos: ctx.ge.GOOS,
    goarch: ctx.ge.GOARCH,
    tool: ctx.compiler,
    outDir: ctx.work,
    explain: ctx.opts.explain,
  }).catch((err: Error) => {
    throw new Error(err.message.startsWith(`${p.ImportPath}:`) ? err.message : `${p.ImportPath}: ${err.message}`);
  });
  // A named package is not built: the compiler checks it (with the woven files) as the build would.
  if (!p.DepOnly) {
    const woven = new Map(w.files.map((f) => [f.original, f.woven]));
    await checkCompiles(p, {
      compiler: ctx.compiler,
      packageName,
      importcfg,
      lang: w.lang ?? lang,
      files: [...files.map((f) => woven.get(f) ?? f), ...(w.syntheticFile ? [w.syntheticFile] : [])],
      work: ctx.work,
      env: ctx.env,
      target: ctx.ge,
    });
  }
  const report: PackageReport = {
    importPath: p.ImportPath,
    name: p.Name,
    dir: p.Dir,
    lang: w.lang ?? lang,
    files: [],
    references: w.result.references,
    ...(ctx.opts.explain ? { explain: w.result.explain } : {}),
  };
  const outNames = outputNames(w.files);
  for (const f of w.files) {
    const name = `${p.ImportPath}/${path.basename(f.original)}`;
    let woven: string | null = null;
    if (ctx.opts.outDir) {
      woven = path.join(ctx.opts.outDir, p.ImportPath, outNames.get(f.original)!);
      fs.mkdirSync(path.dirname(woven), { recursive: true });
      fs.writeFileSync(woven, f.content);
    }
    const original = fs.readFileSync(f.original, 'utf8');
    report.files.push({ path: cached.get(f.original) ?? f.original, name, woven, diff: unifiedDiff(original, f.content, `a/${name}`, `b/${name}`), content: f.content });
  }
  return report;
}

/**
 * The names `-o` writes the woven files under: Orchestrion's, the base name of the file each was
 * parsed as (a leading `//line grammar.y:1` names it `grammar.y`), so its output and ours compare
 * file by file; the original's base name where two files would get the same one (Orchestrion then
 * loses one of them).
 */
function outputNames(files: WovenFile[]): Map<string, string> {
  const wanted = files.map((f) => path.basename(f.parsedAs ?? f.original));
  const count = new Map<string, number>();
  for (const n of [...wanted, ...files.map((f) => path.basename(f.original))]) count.set(n, (count.get(n) ?? 0) + 1);
  return new Map(
    files.map((f, i) => {
      const own = path.basename(f.original);
      const name = wanted[i]!;
      // Unique unless it is the file's own name, or it clashes with another woven file's.
      const clash = name !== own && (count.get(name) ?? 0) > 1;
      return [f.original, clash ? own : name];
    }),
  );
}

function readBuildID(distDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(distDir, 'build-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };
function hostOS(): string {
  return GOOS[process.platform] ?? process.platform;
}
function hostArch(): string {
  return GOARCH[process.arch] ?? process.arch;
}
