// Weaving one package: the part of a compile that decides what the compiler gets. The toolexec
// compile (compile.ts) and `orchestrion instrument` (src/instrument/) both call `weave`, so the bytes
// instrument shows are, by construction, the bytes a build compiles: the job server's `instrument`
// answer, the packages its advice injects resolved into the importcfg, the modified files written
// under `<outDir>/orchestrion/src/<-p>/`, the raised `-lang`, and for a main package the synthetic
// file importing its link-time dependencies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '../jobserver/client.ts';
import { RESOLVE_CHAIN_ENV, type Diagnostic, type GeneratedOrigin, type InstrumentParams, type InstrumentResult } from '../jobserver/protocol.ts';
import { compareGoVersions } from './argv.ts';
import { formatImportConfig, parseImportConfig, provides, type ImportConfig } from '../gobuild/importcfg.ts';
import { LinkDeps } from '../gobuild/linkdeps.ts';

/** The file that makes a main package import its link-time dependencies (Orchestrion's name). */
export const LINK_DEPS_FILE = 'link_deps_imports.go';

export class UserError extends Error {}

export function formatDiagnostic(d: Diagnostic): string {
  const pos = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${pos}: ${d.aspect ? `aspect ${JSON.stringify(d.aspect)}: ` : ''}${d.message}`;
}

export function resolveChain(): string[] {
  const raw = process.env[RESOLVE_CHAIN_ENV];
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes an updated importcfg in place, keeping the original next to it (once). */
export function rewriteImportConfig(file: string, cfg: ImportConfig): void {
  const backup = `${file}.original`;
  if (!fs.existsSync(backup)) fs.copyFileSync(file, backup);
  fs.writeFileSync(file, formatImportConfig(cfg));
}

/**
 * The go command's work directory ($WORK) of a compile or link, from a file of its action directory
 * (`$WORK/bNNN/importcfg`); undefined when the file is not in such a directory.
 */
export function goWorkDir(actionFile: string): string | undefined {
  const actionDir = path.dirname(path.resolve(actionFile));
  return /^b\d+$/.test(path.basename(actionDir)) ? path.dirname(actionDir) : undefined;
}

/**
 * Adds `packages` and what they need to `cfg` through the job server, following the link.deps of
 * every archive added (a work list: those may name further packages). Returns the link.deps
 * discovered on the way that `cfg` still does not satisfy. `work` is the asking go command's $WORK.
 */
export async function resolveInto(client: Client, importPath: string, cfg: ImportConfig, packages: string[], all: boolean, work?: string, superset = false): Promise<LinkDeps> {
  const found = new LinkDeps();
  // What the importcfg held before resolution: a package resolved below (say, reached only through
  // the link.deps of an injected package) stays a link-time dependency, so main imports it.
  const before: ImportConfig = { ...cfg, packageFiles: new Map(cfg.packageFiles) };
  let pending = packages.filter((p) => !provides(cfg, p));
  const asked = new Set<string>();
  while (pending.length > 0) {
    for (const p of pending) asked.add(p);
    const { archives, linkDeps } = await client.call('packages.resolve', { importPath, chain: resolveChain(), packages: pending, ...(work !== undefined && { work }), ...(superset && { superset }), ...(all && { closure: true }) });
    const next = new Set<string>();
    for (const [p, archive] of Object.entries(archives)) {
      if (provides(cfg, p)) continue;
      cfg.packageFiles.set(p, archive);
      for (const [dep, kind] of LinkDeps.fromText(archive, linkDeps[archive]).deps) {
        found.add(dep, kind);
        if (all && !provides(cfg, dep) && !asked.has(dep)) next.add(dep);
      }
    }
    pending = [...next].filter((p) => !provides(cfg, p));
  }
  for (const [p] of found.deps) if (provides(before, p)) found.deps.delete(p);
  return found;
}

/** A compile's instrument request, and the directory of its `-o`: modified files go to `<outDir>/orchestrion/src/<packageName>/`. */
export type WeaveRequest = InstrumentParams & { outDir: string };

export interface WovenFile {
  /** The file as the package has it. */
  original: string;
  /** Where the woven bytes were written, for the compiler. */
  woven: string;
  content: string;
  /** The aspect of each `//line <generated>:1` region of `content`, in order, when known. */
  generated?: GeneratedOrigin[];
  /** The name a leading `//line` directive gave the file, when one did. */
  parsedAs?: string;
}

export interface Weaving {
  /** The job server's answer (with its `explain` verdicts when asked). */
  result: InstrumentResult;
  /** The modified files, in the order of `files`. */
  files: WovenFile[];
  /** The `-lang` to compile with when the advice needs a higher one than the compile's. */
  lang?: string;
  /** This package's link-time dependencies: its imports' link.deps and its own synthetic references. */
  linkDeps: LinkDeps;
  /** A main package's extra file importing link-time dependencies the importcfg lacked. */
  syntheticFile?: string;
  /** The archives of the importcfg (as go gave it) without link.deps. */
  withoutLinkDeps: string[];
  /** Those with link.deps: archive → the member's text. */
  withLinkDeps: Map<string, string>;
  /** When the job server's instrument answer came, and when the injected packages were resolved (performance.now()). */
  instrumentedAt: number;
  resolvedAt: number;
  /** The packages resolved into the importcfg (import path → archive): for a main package, all its link needs besides. */
  added: [string, string][];
}

/**
 * Asks the job server to instrument a package and prepares everything its compile needs. Throws a
 * UserError when the injector reports errors or an injected package cannot be resolved.
 */
export async function weave(client: Client, req: WeaveRequest): Promise<Weaving> {
  const { outDir, ...params } = req;
  const res = await client.call('instrument', params);
  const instrumentedAt = performance.now();
  if (res.errors.length > 0) throw new UserError(res.errors.map(formatDiagnostic).join('\n'));

  const cfg = parseImportConfig(fs.readFileSync(req.importcfg, 'utf8'), req.importcfg);
  const original = new Set(cfg.packageFiles.keys());
  // What this package's imports carry, and what its own advice adds.
  const withoutLinkDeps: string[] = [];
  const withLinkDeps = new Map<string, string>();
  const linkDeps = LinkDeps.inherited(cfg, withoutLinkDeps, withLinkDeps);
  const injected: string[] = [];
  const aspectOf = new Map<string, string>();
  for (const ref of res.references) {
    if (ref.path === 'unsafe' || provides(cfg, ref.path)) continue;
    linkDeps.add(ref.path, ref.kind);
    aspectOf.set(ref.path, ref.aspect);
    // A package only reached through //go:linkname is resolved at link time (or by main): resolving
    // it here could need this very package and cycle.
    if (ref.kind === 'import') injected.push(ref.path);
  }
  const isMain = req.packageName === 'main';
  const toResolve = isMain ? linkDeps.entries().map(([p]) => p) : injected;
  if (toResolve.length > 0) {
    try {
      linkDeps.addAll(await resolveInto(client, req.importPath, cfg, toResolve, isMain, goWorkDir(req.importcfg)));
    } catch (err) {
      const names = toResolve.filter((p) => aspectOf.has(p)).map((p) => `aspect ${JSON.stringify(aspectOf.get(p))} injects "${p}"`);
      throw new UserError(`${req.importPath}: ${names.length > 0 ? `${names.join('; ')}: ` : ''}${(err as Error).message}`);
    }
    rewriteImportConfig(req.importcfg, cfg);
  }

  const added = [...cfg.packageFiles].filter(([p]) => !original.has(p));
  const weaving: Weaving = { result: res, files: [], linkDeps, withoutLinkDeps, withLinkDeps, instrumentedAt, resolvedAt: performance.now(), added };
  if (res.files.length > 0) {
    const byOriginal = new Map(res.files.map((f) => [f.path, f]));
    const dir = path.join(outDir, 'orchestrion', 'src', req.packageName);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of req.files) {
      const modified = byOriginal.get(file);
      if (!modified) continue;
      const woven = path.join(dir, path.basename(file));
      fs.writeFileSync(woven, modified.content);
      // Named after the original, not after a leading //line's target as Orchestrion does: two
      // files of a package may name the same one, and the compiler would get one of them twice.
      weaving.files.push({
        original: file,
        woven,
        content: modified.content,
        ...(modified.generated ? { generated: modified.generated } : {}),
        ...(modified.parsedAs ? { parsedAs: modified.parsedAs } : {}),
      });
    }
    if (res.langLevel && req.lang && compareGoVersions(res.langLevel, req.lang) > 0) weaving.lang = res.langLevel;
  }
  if (isMain) {
    // Make main import every link-time dependency, so the linker loads them and runs their init.
    const added = linkDeps.entries().map(([p]) => p).filter((p) => !original.has(p) && cfg.packageFiles.has(p));
    if (added.length > 0) {
      const dir = path.join(outDir, 'orchestrion', 'src', 'synthetic');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, LINK_DEPS_FILE);
      fs.writeFileSync(file, `package main\n\nimport (\n${added.map((p) => `\t_ ${JSON.stringify(p)}\n`).join('')})\n`);
      weaving.syntheticFile = file;
    }
  }
  return weaving;
}
