// Runs golden cases through the same wasm injector pool the job server uses, following the
// conformance procedure: temporary module, `go mod tidy`, export data from `go list -export`,
// injection, normalisation, byte comparison, synthetic references and language level.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import type { InjectorPool } from '../pool/pool.ts';
import { GOLDEN_ORCHESTRION_VERSION, NO_CHANGES, loadCase, normalise, type GoldenCase } from './cases.ts';

export interface CaseResult {
  name: string;
  dir: string;
  ok: boolean;
  ms: number;
  /** What went wrong, with a unified diff when the output differs. */
  problems: string[];
}

export interface RunOptions {
  /** Also compile the modified file (`go build`). */
  build: boolean;
  env: NodeJS.ProcessEnv;
}

const GOMOD_MODULE = 'dummy/test/module';

async function go(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return execa('go', args, { cwd, env, reject: false, all: true });
}

/**
 * The importcfg a compile of the module's package would get: export data of its direct imports only
 * (the package pre-filters read this map, as in a real build), from `go list -export`.
 */
async function importConfig(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const format = '{{if .Export}}packagefile {{.ImportPath}}={{.Export}}\n{{end}}{{if not .DepOnly}}{{range .Imports}}direct {{.}}\n{{end}}{{end}}';
  const r = await go(['list', '-e', '-export', '-deps', '-f', format, '.'], dir, env);
  if (r.exitCode !== 0) throw new Error(`go list -export failed:\n${r.all}`);
  const lines = r.stdout.split('\n');
  const direct = new Set(lines.filter((l) => l.startsWith('direct ')).map((l) => l.slice('direct '.length)));
  return lines.filter((l) => l.startsWith('packagefile ') && direct.has(l.slice('packagefile '.length, l.indexOf('=')))).join('\n') + '\n';
}

export async function unifiedDiff(expected: string, actual: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-diff-'));
  try {
    fs.writeFileSync(path.join(dir, 'expected'), expected);
    fs.writeFileSync(path.join(dir, 'actual'), actual);
    const r = await execa('diff', ['-u', '--label', 'expected (modified.go.snap)', '--label', 'actual', 'expected', 'actual'], { cwd: dir, reject: false });
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runCase(caseDir: string, pool: InjectorPool, opts: RunOptions): Promise<CaseResult> {
  const t0 = performance.now();
  const problems: string[] = [];
  let c: GoldenCase | undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-'));
  try {
    c = loadCase(caseDir);
    const input = path.join(work, 'input.go');
    fs.writeFileSync(input, c.code);
    const init = await go(['mod', 'init', GOMOD_MODULE], work, opts.env);
    if (init.exitCode !== 0) throw new Error(`go mod init failed:\n${init.all}`);
    const tidy = await go(['mod', 'tidy'], work, opts.env);
    if (tidy.exitCode !== 0) throw new Error(`go mod tidy failed:\n${tidy.all}`);
    const importcfg = path.join(work, 'importcfg');
    fs.writeFileSync(importcfg, await importConfig(work, opts.env));

    const res = await pool.instrument({
      importPath: c.importPath,
      goVersion: '',
      goos: opts.env.GOOS ?? goos(),
      goarch: opts.env.GOARCH ?? goarch(),
      files: [input],
      importcfg,
      aspects: c.aspects,
      rootModulePath: c.rootModule,
      rootConfig: c.rootConfig,
      testMain: c.testMain,
      orchestrionVersion: GOLDEN_ORCHESTRION_VERSION,
      // Special-casing of import paths belongs to the compile step, not to the injector under test.
      ignoreSpecialCases: true,
    });
    for (const e of res.errors ?? []) problems.push(`injector error: ${e.file}:${e.line}:${e.column}: ${e.aspect ? `aspect ${JSON.stringify(e.aspect)}: ` : ''}${e.message}`);
    const modified = (res.files ?? []).find((f) => f.path === input);
    const actual = modified ? normalise(modified.content, input) : NO_CHANGES;
    const expected = c.expected.trim() === NO_CHANGES ? NO_CHANGES : c.expected;
    if (problems.length === 0 && actual !== expected) {
      problems.push(`output differs from modified.go.snap:\n${await unifiedDiff(expected.endsWith('\n') ? expected : expected + '\n', actual.endsWith('\n') ? actual : actual + '\n')}`);
    }
    // References and language level describe a modification: nothing to check when there is none.
    const refs = [...new Set((res.references ?? []).map((r) => `${r.path}=${r.kind}`))].sort();
    if (problems.length === 0 && modified && refs.join('\n') !== c.syntheticReferences.join('\n')) {
      problems.push(`synthetic references: expected [${c.syntheticReferences.join(', ')}], got [${refs.join(', ')}]`);
    }
    if (problems.length === 0 && modified && (res.langLevel ?? '') !== c.requiredLang) {
      problems.push(`required language level: expected ${JSON.stringify(c.requiredLang)}, got ${JSON.stringify(res.langLevel ?? '')}`);
    }
    if (problems.length === 0 && opts.build && modified) {
      fs.writeFileSync(input, modified.content);
      const t = await go(['mod', 'tidy'], work, opts.env);
      const b = t.exitCode === 0 ? await go(['build', './...'], work, opts.env) : t;
      if (b.exitCode !== 0) problems.push(`the modified file does not build:\n${b.all}`);
    }
  } catch (err) {
    problems.push((err as Error).message);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { name: c?.name ?? path.basename(caseDir), dir: caseDir, ok: problems.length === 0, ms: performance.now() - t0, problems };
}

function goos(): string {
  return process.platform === 'win32' ? 'windows' : process.platform;
}
function goarch(): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch;
}
