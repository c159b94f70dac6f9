// Bad input: a clear message naming the file, position and aspect, a non-zero exit, no binary,
// and a build cache that later builds can trust.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';

const gocache = tempDir('gocache-errors');

function buildFixture(edit: (dir: string) => void) {
  const dir = tempModule('test/fixtures/traced');
  edit(dir);
  const exe = path.join(dir, 'out.bin');
  const tmp = tempDir('tmpdir');
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: dir, env: goEnv(gocache, { TMPDIR: tmp }) });
  // go starts while the configuration loads; on a configuration error it is stopped before it can
  // add its own report of a failed `compile -V=full`, and its $WORK goes with the job directory.
  assert.doesNotMatch(r.stderr, /buildID|-V=full/, describeResult(r));
  assert.deepEqual(
    fs.readdirSync(tmp).filter((e) => e.startsWith('go-build')),
    [],
    'no go-build directory left',
  );
  return { dir, exe, r };
}
const editYml = (f: (s: string) => string) => (dir: string) => {
  const p = path.join(dir, 'orchestrion.yml');
  fs.writeFileSync(p, f(fs.readFileSync(p, 'utf8')));
};

test('malformed orchestrion.yml', () => {
  const { dir, exe, r } = buildFixture(editYml((s) => s.replace('    advice:\n', '    advice: [\n')));
  assert.notEqual(r.code, 0, describeResult(r));
  assert.match(r.stderr, new RegExp(`${dir}/orchestrion\\.yml:\\d+:\\d+: malformed YAML`));
  assert.ok(!fs.existsSync(exe));
});

test('unknown join point type', () => {
  const { dir, exe, r } = buildFixture(editYml((s) => s.replace('function-body:', 'function-bodie:')));
  assert.notEqual(r.code, 0, describeResult(r));
  assert.match(r.stderr, new RegExp(`${dir}/orchestrion\\.yml:7:7: aspect "mark-traced": join-point: .*unknown join point type "function-bodie"`));
  assert.ok(!fs.existsSync(exe));
});

test('a template that does not parse', () => {
  const { dir, exe, r } = buildFixture(editYml((s) => s.replace('{{ printf "%q" .Function.Name }}', '{{ nosuchfunc .Function.Name }}')));
  assert.notEqual(r.code, 0, describeResult(r));
  assert.match(r.stderr, new RegExp(`${dir}/orchestrion\\.yml:13:21: aspect "mark-traced": advice\\[0\\]\\.prepend-statements\\.template: .*nosuchfunc`));
  assert.ok(!fs.existsSync(exe));
});

test('a Go syntax error in user code names the file and position', () => {
  const { exe, r } = buildFixture((d) => {
    const p = path.join(d, 'lib', 'lib.go');
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('return n + n', 'return n + +'));
  });
  assert.notEqual(r.code, 0, describeResult(r));
  // The package is compiled unwoven: the compiler reports it, and cmd/go shortens the package
  // directory in tool output to a relative path.
  assert.match(r.stderr, /^(\.\/)?lib\/lib\.go:[78]:\d+: syntax error: /m);
  assert.ok(!fs.existsSync(exe));
});

test('advice injecting a package that does not exist fails, naming the aspect and the import', () => {
  const { exe, r } = buildFixture(
    editYml((s) => s.replace('fmt: fmt', 'fmt: fmt\n            ghost: example.com/does/not/exist').replace('fmt.Println(', 'ghost.Boo(); fmt.Println(')),
  );
  assert.notEqual(r.code, 0, describeResult(r));
  // Found when the configuration is loaded (the injectables fingerprint), before go even starts.
  assert.match(r.stderr, /aspect "mark-traced" injects "example\.com\/does\/not\/exist", which cannot be found/);
  assert.ok(!fs.existsSync(exe));
});

test('after failures, a correct build with the same cache is fully instrumented', () => {
  const { dir, exe, r } = buildFixture(() => {});
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: dir }).stdout, 'ADVICE-V1 work\nADVICE-V1 Double\nresult 42 8\nplain ran\n');
});

test('a dead job server is reported, and the build fails', () => {
  const dir = tempModule('test/fixtures/traced');
  const r = run('go', ['build', '-toolexec', `${BIN} toolexec`, '-o', path.join(dir, 'x'), '.'], {
    cwd: dir,
    env: goEnv(gocache, { ORCHESTRION_JOBSERVER_URL: `unix:${dir}/no-such.sock` }),
  });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /job server at unix:.*no-such\.sock .* is unreachable/);
});

test('a missing Go toolchain is reported clearly', () => {
  const dir = tempModule('test/fixtures/traced');
  const r = run(BIN, ['go', 'build', '.'], { cwd: dir, env: { ...goEnv(gocache), PATH: '/nonexistent' } });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Go toolchain is not installed or not on PATH/);
});
