// scripts/compare-orchestrion.mjs, the check of issue 11's last acceptance line (instrument -o
// against Orchestrion's own woven files). Without Orchestrion: its collection of a -work tree, the
// one normalisation, the verdicts and the exit status, over synthetic trees. With
//   ORCHESTRION_REFERENCE_BIN=<orchestrion v1.12.0 binary>
// it also runs the whole comparison on the corpora named by ORCHESTRION_COMPARE_CORPORA
// (comma-separated, default `traced`; also `ddall`, `shop`, `billing`): each is a cold Orchestrion
// build and a cold instrument -deps, several minutes apiece.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script, without type declarations
import { collectOrchestrion, collectOurs, compare, normalise } from '../scripts/compare-orchestrion.mjs';
import { ROOT, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';

const SCRIPT = path.join(ROOT, 'scripts', 'compare-orchestrion.mjs');

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

test('normalise: only //line directives into a build scratch directory lose that directory', () => {
  const src = [
    '//line /tmp/x/go-build123/b070/sqlite3.cgo1.go:1:1',
    '//line /tmp/go-build9/__tmp__/go-build77/b245/_cgo_gotypes.go:12',
    '//line /tmp/orchestrion-instrument-AbC123/b103/sqlite3.cgo1.go:1:1',
    '//line /root/go/pkg/mod/example.com/m@v1.0.0/x.go:3',
    '//line <generated>:1',
    '\t//line /tmp/go-build123/b001/x.go:4',
    'var s = "/tmp/go-build123/b070/x.go"',
  ].join('\n');
  assert.equal(
    normalise(src),
    [
      '//line $WORK/sqlite3.cgo1.go:1:1',
      '//line $WORK/_cgo_gotypes.go:12',
      '//line $WORK/sqlite3.cgo1.go:1:1',
      '//line /root/go/pkg/mod/example.com/m@v1.0.0/x.go:3',
      '//line <generated>:1',
      '\t//line /tmp/go-build123/b001/x.go:4',
      'var s = "/tmp/go-build123/b070/x.go"',
    ].join('\n'),
  );
});

test('collectOrchestrion: files of every bNNN (child builds too), main mapped to its import path, synthetic left out, conflicts', () => {
  const work = tempDir('cmp-work');
  const src = (b: string, rel: string) => path.join(work, b, 'orchestrion', 'src', rel);
  write(src('b001', 'main/main.go'), '//line /mod/app/main.go:1:1\npackage main\n');
  write(src('b001', 'synthetic/link_deps_imports.go'), 'package main\n');
  write(src('b010', 'net/http/server.go'), 'package http\n');
  write(src('__tmp__/go-build55/b245', 'github.com/x/y/z.go'), 'package y\n');
  write(src('__tmp__/go-build56/b002', 'github.com/x/y/z.go'), 'package y\n');
  write(src('b020', 'example.com/lib/a.go'), 'package lib // one\n');
  write(src('__tmp__/go-build55/b300', 'example.com/lib/a.go'), 'package lib // two\n');
  write(path.join(work, 'b030', 'not-woven.go'), 'package x\n');
  const got = collectOrchestrion(work, new Map([['/mod/app', 'example.com/app']]));
  assert.deepEqual([...got.files.keys()].sort(), ['example.com/app/main.go', 'example.com/lib/a.go', 'github.com/x/y/z.go', 'net/http/server.go']);
  assert.deepEqual(got.skipped, ['synthetic/link_deps_imports.go']);
  assert.deepEqual(got.conflicts.map((c: { name: string }) => c.name), ['example.com/lib/a.go']);
});

test('compare: identical after normalisation, differing, missing on either side', () => {
  const m = (entries: [string, string][]) => new Map(entries.map(([k, content]) => [k, { path: k, content }]));
  const orch = m([
    ['a/x.go', '//line /tmp/go-build1/b002/x.go:1:1\nA\n'],
    ['a/y.go', 'Y\n'],
    ['a/only.go', 'O\n'],
  ]);
  const ours = m([
    ['a/x.go', '//line /tmp/orchestrion-instrument-q/b9/x.go:1:1\nA\n'],
    ['a/y.go', 'Y2\n'],
    ['b/new.go', 'N\n'],
  ]);
  assert.deepEqual(compare(orch, ours), { identical: ['a/x.go'], differing: ['a/y.go'], onlyOrchestrion: ['a/only.go'], onlyOurs: ['b/new.go'], renamed: [] });
  // A file Orchestrion named after its leading //line directive's file: the same bytes, renamed.
  orch.set('a/grammar.y', { path: 'a/grammar.y', content: '//line grammar.y:1:1\nP\n' });
  ours.set('a/parser.go', { path: 'a/parser.go', content: '//line grammar.y:1:1\nP\n' });
  const r = compare(orch, ours);
  assert.deepEqual(r.renamed, [{ orchestrion: 'a/grammar.y', ours: 'a/parser.go' }]);
  assert.deepEqual([r.onlyOrchestrion, r.onlyOurs], [['a/only.go'], ['b/new.go']]);
});

test('the script over given trees (--work, --ours): a report, a unified diff, JSON, and the exit status', () => {
  const mod = tempDir('cmp-mod');
  write(path.join(mod, 'go.mod'), 'module example.com/app\n\ngo 1.23\n');
  write(path.join(mod, 'main.go'), 'package main\n\nfunc main() {}\n');
  const work = tempDir('cmp-work2');
  write(path.join(work, 'b001', 'orchestrion', 'src', 'main', 'main.go'), `//line ${mod}/main.go:1:1\npackage main\n\nfunc main() { println(1) }\n`);
  write(path.join(work, 'b004', 'orchestrion', 'src', 'runtime', 'proc.go'), 'package runtime\n');
  const ours = tempDir('cmp-ours');
  write(path.join(ours, 'example.com', 'app', 'main.go'), `//line ${mod}/main.go:1:1\npackage main\n\nfunc main() { println(2) }\n`);
  write(path.join(ours, 'runtime', 'proc.go'), 'package runtime\n');
  const json = path.join(tempDir('cmp-json'), 'out.json');
  const env = goEnv(tempDir('gocache-cmp'));

  const r = run(process.execPath, [SCRIPT, '-C', mod, '--work', work, '--ours', ours, '--json', json], { cwd: ROOT, env });
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stdout, /^identical: 1, differing: 1, only Orchestrion: 0, only orchestrion-ts: 0$/m);
  assert.match(r.stdout, /^ {2}DIFFERENT example\.com\/app\/main\.go$/m);
  assert.match(r.stdout, /^--- orchestrion\/example\.com\/app\/main\.go\n\+\+\+ ours\/example\.com\/app\/main\.go\n@@ .* @@\n/m);
  assert.match(r.stdout, /^-func main\(\) \{ println\(1\) \}\n\+func main\(\) \{ println\(2\) \}$/m);
  const doc = JSON.parse(fs.readFileSync(json, 'utf8'));
  assert.deepEqual(doc.identical, ['runtime/proc.go']);
  assert.deepEqual(doc.differing, ['example.com/app/main.go']);

  write(path.join(ours, 'example.com', 'app', 'main.go'), `//line ${mod}/main.go:1:1\npackage main\n\nfunc main() { println(1) }\n`);
  const same = run(process.execPath, [SCRIPT, '-C', mod, '--work', work, '--ours', ours], { cwd: ROOT, env });
  assert.equal(same.code, 0, describeResult(same));
  assert.match(same.stdout, /^identical: 2, differing: 0, only Orchestrion: 0, only orchestrion-ts: 0$/m);
});

const REFERENCE = process.env.ORCHESTRION_REFERENCE_BIN;
const CORPORA: Record<string, () => string> = {
  traced: () => tempModule('examples/traced'),
  ddall: () => {
    const mod = tempModule('examples/traced');
    for (const f of ['go.mod', 'go.sum', 'orchestrion.tool.go']) fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'ddall', f), path.join(mod, f));
    return mod;
  },
  shop: () => tempModule('test/fixtures/shop'),
  billing: () => tempModule('test/fixtures/billing'),
};

for (const name of (process.env.ORCHESTRION_COMPARE_CORPORA ?? 'traced').split(',')) {
  test(`${name}: instrument -deps -o writes the bytes Orchestrion v1.12.0 weaves`, { skip: !REFERENCE && 'ORCHESTRION_REFERENCE_BIN is not set', timeout: 3_600_000 }, () => {
    const corpus = CORPORA[name];
    assert.ok(corpus, `unknown corpus ${name}: one of ${Object.keys(CORPORA).join(', ')}`);
    const mod = corpus();
    const json = path.join(tempDir('cmp-ref'), 'result.json');
    const env = goEnv(tempDir('gocache-cmp-ours'));
    const r = run(process.execPath, [SCRIPT, '-C', mod, '--orchestrion', REFERENCE!, '--json', json, '--', './...'], { cwd: ROOT, env, timeoutMs: 3_600_000 });
    assert.ok(r.code === 0 || r.code === 1, describeResult(r));
    const doc = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.ok(doc.identical.length > 0, describeResult(r));
    assert.deepEqual(
      { differing: doc.differing, onlyOrchestrion: doc.onlyOrchestrion, onlyOurs: doc.onlyOurs, renamed: doc.renamed, conflicts: doc.conflicts },
      { differing: [], onlyOrchestrion: [], onlyOurs: [], renamed: [], conflicts: [] },
      r.stdout,
    );
  });
}
