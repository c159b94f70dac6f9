// Golden cases in Orchestrion's injector test format: a directory holding `config.yml` (aspects,
// input code, import path, expected synthetic references and language level) and
// `modified.go.snap` (the expected output, normalised, or `<no changes>`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Aspect } from '../wasm/api.ts';

export const NO_CHANGES = '<no changes>';
export const DEFAULT_IMPORT_PATH = 'dummy/test/module';

export interface GoldenCase {
  name: string;
  dir: string;
  aspects: Aspect[];
  /** input.go's content: `code` trimmed, plus one newline. */
  code: string;
  importPath: string;
  syntheticReferences: string[];
  requiredLang: string;
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
            .filter(([, v]) => v === true)
            .map(([k]) => k)
            .sort()
        : [],
    requiredLang: typeof doc['required-lang'] === 'string' ? doc['required-lang'] : '',
    expected: fs.readFileSync(snap, 'utf8'),
  };
}

/** The normalisation of the conformance procedure: tabs become two spaces, the input's absolute path becomes `input.go`. */
export function normalise(content: string, inputPath: string): string {
  return content.replaceAll('\t', '  ').replaceAll(`//line ${inputPath}:`, '//line input.go:');
}
