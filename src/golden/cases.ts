// Golden cases in Orchestrion's injector test format: a directory holding `config.yml` (aspects,
// input code, import path, expected synthetic references and language level) and
// `modified.go.snap` (the expected output, normalised, or `<no changes>`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Aspect } from '../wasm/api.ts';

export const NO_CHANGES = '<no changes>';
export const DEFAULT_IMPORT_PATH = 'dummy/test/module';
export const DEFAULT_ROOT_MODULE = 'github.com/DataDog/orchestrion';
/** What `Version` renders in Orchestrion's own test binary, which produced the golden files. */
export const GOLDEN_ORCHESTRION_VERSION = 'v1.12.0+dev';

export interface GoldenCase {
  name: string;
  dir: string;
  aspects: Aspect[];
  /** input.go's content: `code` trimmed, plus one newline. */
  code: string;
  importPath: string;
  /** Expected synthetic references as `path=kind` (true in config.yml: an import; false: a relocation), sorted. */
  syntheticReferences: string[];
  requiredLang: string;
  /** Main module path for `package-filter` root filters (`root-module`; Orchestrion's harness runs in its own module). */
  rootModule: string;
  /** The `configuration` join point's map (`root-config`; none by default, as in Orchestrion's harness). */
  rootConfig: Record<string, string>;
  /** Compile as the synthetic test main (`test-main`). */
  testMain: boolean;
  /** Expected normalised output, or NO_CHANGES. */
  expected: string;
}

/** Expands each path: a case directory, or a directory whose subdirectories (recursively) are cases. */
export function findCases(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (dir: string, explicit: boolean) => {
    if (fs.existsSync(path.join(dir, 'config.yml'))) {
      out.push(dir);
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (explicit) throw new Error(`${dir}: ${(err as Error).message}`);
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) if (e.isDirectory()) visit(path.join(dir, e.name), false);
  };
  for (const p of paths) visit(path.resolve(p), true);
  return out;
}

export function loadCase(dir: string): GoldenCase {
  const configFile = path.join(dir, 'config.yml');
  const doc = parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${configFile}: expected a mapping`);
  if (typeof doc.code !== 'string') throw new Error(`${configFile}: "code" must be a string`);
  if (!Array.isArray(doc.aspects)) throw new Error(`${configFile}: "aspects" must be a sequence`);
  const snap = path.join(dir, 'modified.go.snap');
  const aspects = (doc.aspects as Aspect[]).map((a, i) => ({
    ...a,
    id: typeof a.id === 'string' && a.id !== '' ? a.id : `aspect #${i}`,
    advice: Array.isArray(a.advice) ? a.advice : [a.advice],
  }));
  const refs = doc.syntheticReferences;
  return {
    name: path.basename(dir),
    dir,
    aspects,
    code: doc.code.trim() + '\n',
    importPath: typeof doc['import-path'] === 'string' ? doc['import-path'] : DEFAULT_IMPORT_PATH,
    syntheticReferences:
      refs && typeof refs === 'object'
        ? Object.entries(refs as Record<string, unknown>)
            .map(([k, v]) => `${k}=${v === true ? 'import' : 'relocation'}`)
            .sort()
        : [],
    requiredLang: typeof doc['required-lang'] === 'string' ? doc['required-lang'] : '',
    rootModule: typeof doc['root-module'] === 'string' ? doc['root-module'] : DEFAULT_ROOT_MODULE,
    rootConfig:
      doc['root-config'] && typeof doc['root-config'] === 'object'
        ? Object.fromEntries(Object.entries(doc['root-config'] as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
        : {},
    testMain: doc['test-main'] === true,
    expected: fs.readFileSync(snap, 'utf8'),
  };
}

/** The normalisation of the conformance procedure: tabs become two spaces, the input's absolute path becomes `input.go`. */
export function normalise(content: string, inputPath: string): string {
  return content.replaceAll('\t', '  ').replaceAll(`//line ${inputPath}:`, '//line input.go:');
}
