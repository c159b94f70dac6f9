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
  Module?: { Path: string; Version?: string; Sum?: string; Replace?: { Path: string; Version?: string; Dir?: string } };
  GoFiles?: string[];
  CgoFiles?: string[];
  SFiles?: string[];
  EmbedFiles?: string[];
  OtherFiles?: string[];
  Error?: { Err: string };
}

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
 * Hash of everything the injectable packages are built from: module@version for immutable modules,
 * file contents for local ones (replaced by a directory, workspace or main modules). Throws an error
 * naming the aspect when an injected package cannot be found.
 */
export async function injectablesFingerprint(root: string, injected: Map<string, string>, env: NodeJS.ProcessEnv): Promise<InjectablesFingerprint> {
  if (injected.size === 0) return { hash: '', inputs: [] };
  const inputs: string[] = [];
  const paths = [...injected.keys()].sort();
  const fields = 'ImportPath,Dir,Standard,Module,GoFiles,CgoFiles,SFiles,EmbedFiles,OtherFiles,Error';
  const r = await execa('go', ['list', '-e', '-deps', `-json=${fields}`, '--', ...paths], { cwd: root, env, reject: false });
  if (r.exitCode !== 0) throw new Error(`go list ${paths.join(' ')}: ${r.stderr.trim()}`);
  const h = createHash('sha256');
  const problems: string[] = [];
  for (const raw of jsonStream(r.stdout)) {
    const pkg = raw as ListedPackage;
    if (pkg.Error && injected.has(pkg.ImportPath)) {
      problems.push(`aspect ${JSON.stringify(injected.get(pkg.ImportPath))} injects "${pkg.ImportPath}", which cannot be found: ${pkg.Error.Err}`);
      continue;
    }
    if (pkg.Standard || !pkg.Module) continue; // the toolchain's own identity is already in the -V=full line
    const m = pkg.Module;
    const immutable = m.Version !== undefined && m.Version !== '' && !(m.Replace && !m.Replace.Version);
    h.update(`${pkg.ImportPath}\0${m.Path}@${m.Version ?? ''}\0${m.Sum ?? ''}\0${m.Replace ? `${m.Replace.Path}@${m.Replace.Version ?? ''}` : ''}\0`);
    if (immutable || !pkg.Dir) continue;
    inputs.push(pkg.Dir); // a file added or removed changes the directory
    const files = [...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? []), ...(pkg.SFiles ?? []), ...(pkg.EmbedFiles ?? []), ...(pkg.OtherFiles ?? [])].sort();
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
