// The golden runner, run as users run it (`npm run golden -- <paths>`), over the project's own
// cases in test/golden (and Orchestrion's conformance cases when ../shared is present).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, ROOT, describeResult, run, tempDir } from './helpers.ts';

const summary = (out: string) => /^(\d+) passed, (\d+) failed$/m.exec(out);

test('every case in test/golden passes', () => {
  const r = run(BIN, ['golden', path.join(ROOT, 'test', 'golden')], { cwd: ROOT });
  assert.equal(r.code, 0, describeResult(r));
  const m = summary(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(m[2], '0');
  const cases = fs.readdirSync(path.join(ROOT, 'test', 'golden')).filter((d) => fs.existsSync(path.join(ROOT, 'test', 'golden', d, 'config.yml')));
  assert.equal(Number(m[1]), cases.length);
});

const conformance = path.resolve(ROOT, '..', 'shared', 'conformance', 'injector');
test('Orchestrion\'s conformance cases pass', { skip: !fs.existsSync(conformance) && 'no ../shared/conformance' }, () => {
  const r = run(BIN, ['golden', '-j', '2', conformance], { cwd: ROOT, timeoutMs: 1_200_000 });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, /^\d+ passed, 0 failed$/m);
});

test('a case whose output differs fails with a unified diff and a non-zero exit', () => {
  const dir = path.join(tempDir('golden-bad'), 'wrong-output');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'config.yml'),
    `aspects:
  - id: hello
    join-point:
      function-body:
        function:
          - name: main
    advice:
      - prepend-statements:
          template: println("hello")
code: |
  package main

  func main() {}
`,
  );
  fs.writeFileSync(path.join(dir, 'modified.go.snap'), '<no changes>\n');
  const r = run(BIN, ['golden', path.dirname(dir)], { cwd: ROOT });
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stdout, /^FAIL wrong-output/m);
  assert.match(r.stdout, /^\s+--- expected \(modified\.go\.snap\)$/m);
  assert.match(r.stdout, /^\s+\+\s+println\("hello"\)$/m);
  assert.match(r.stdout, /^0 passed, 1 failed$/m);
});

test('no cases under a path is an error', () => {
  const r = run(BIN, ['golden', tempDir('golden-empty')], { cwd: ROOT });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no golden cases/);
});
