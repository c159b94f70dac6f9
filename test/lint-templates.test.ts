// `orchestrion lint` (and the build's configuration check, which is the same job-server call)
// renders every template against a representative node of its join point: what would fail
// weaving on every node — an unknown field of the template context, generated code that does not
// parse — is reported with the template's file:line:col, the aspect and the problem.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';

const gocache = tempDir('gocache-lint-templates');
const env = goEnv(gocache);
const ORIGINAL = '{{ printf "%q" .Function.Name }}';

function withTemplate(edit: (s: string) => string): string {
  const dir = tempModule('test/fixtures/traced');
  const p = path.join(dir, 'orchestrion.yml');
  const before = fs.readFileSync(p, 'utf8');
  const after = edit(before);
  assert.notEqual(after, before);
  fs.writeFileSync(p, after);
  return dir;
}

const lint = (dir: string) => run(BIN, ['lint'], { cwd: dir, env });

test('lint accepts the fixture as it is', () => {
  const dir = tempModule('test/fixtures/traced');
  const r = lint(dir);
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stdout, `${dir}: configuration is valid\n`);
});

test('lint rejects an unknown field of the template context', () => {
  const dir = withTemplate((s) => s.replace(ORIGINAL, '{{ .Nope }}'));
  const r = lint(dir);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(
    r.stderr,
    new RegExp(`^${dir}/orchestrion\\.yml:13:21: aspect "mark-traced": advice\\[0\\]\\.prepend-statements\\.template: .*<\\.Nope>: can't evaluate field Nope`, 'm'),
  );
});

test('lint rejects a template whose generated code does not parse', () => {
  const dir = withTemplate((s) => s.replace(`fmt.Println("ADVICE-V1", ${ORIGINAL})`, 'println("x"'));
  const r = lint(dir);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(
    r.stderr,
    new RegExp(`^${dir}/orchestrion\\.yml:13:21: aspect "mark-traced": advice\\[0\\]\\.prepend-statements\\.template: generated code does not parse: template line 1: `, 'm'),
  );
});

test('lint rejects a wrong number of arguments', () => {
  const dir = withTemplate((s) => s.replace(ORIGINAL, '{{ .Function.Argument }}'));
  const r = lint(dir);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /aspect "mark-traced": advice\[0\]\.prepend-statements\.template: .*wrong number of args for Argument: want 1 got 0/);
});

test('lint does not report what only fails on some nodes', () => {
  // Result 3 exists on some functions; Receiver only on methods; a typo inside a branch never runs
  // on a node that does not take it.
  const dir = withTemplate((s) =>
    s.replace(ORIGINAL, '{{ .Function.Result 3 }}, {{ .Function.Receiver }}{{ if .Function.Receiver }}{{ .Function.Nope }}{{ end }}'),
  );
  const r = lint(dir);
  assert.equal(r.code, 0, describeResult(r));
});

test('the build rejects a bad template before compiling anything', () => {
  const dir = withTemplate((s) => s.replace(ORIGINAL, '{{ .Nope }}'));
  const exe = path.join(dir, 'out.bin');
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: dir, env });
  assert.notEqual(r.code, 0, describeResult(r));
  assert.match(r.stderr, new RegExp(`${dir}/orchestrion\\.yml:13:21: aspect "mark-traced": advice\\[0\\]\\.prepend-statements\\.template: .*can't evaluate field Nope`));
  // No compile ran: cmd/go prints "# <package>" before a compile's output.
  assert.doesNotMatch(r.stderr, /^# /m);
  assert.ok(!fs.existsSync(exe));
});
