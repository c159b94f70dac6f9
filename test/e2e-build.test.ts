// End to end: real `go build` of a real module through orchestrion, from a cold build cache.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, logEvents, run, tempDir, tempModule } from './helpers.ts';

const mod = tempModule('test/fixtures/traced');
const gocache = tempDir('gocache');
const exe = path.join(tempDir('out'), 'traced');
const compiles = (log: string) => logEvents(log).filter((e) => e.event === 'build.start' && e.reuse !== true);

function orchestrionBuild(log: string, env: Record<string, string> = {}) {
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: mod, env: goEnv(gocache, { ORCHESTRION_LOG_FILE: log, ...env }) });
  assert.equal(r.code, 0, describeResult(r));
  return r;
}

test('cold build: the binary runs the advice in marked functions, in every package', () => {
  const log = path.join(tempDir('log'), 'log.jsonl');
  const stats = path.join(tempDir('stats'), 'stats.json');
  orchestrionBuild(log, { ORCHESTRION_STATS: stats });
  const out = run(exe, [], { cwd: mod });
  assert.equal(out.code, 0, describeResult(out));
  assert.equal(out.stdout, 'ADVICE-V1 work\nADVICE-V1 Double\nresult 42 8\nplain ran\n');
  // Every compile of the build (std included) reached orchestrion once: most ran directly by
  // bin/orchestrion (the compile gate closed: no //test:traced in them), the others
  // through the job server.
  const starts = compiles(log);
  const report = JSON.parse(fs.readFileSync(stats, 'utf8')) as { compiles: number; ungated: number };
  assert.equal(report.compiles, starts.length + report.ungated, JSON.stringify(report));
  assert.ok(report.ungated > 20 && starts.length >= 2, JSON.stringify(report));
  const byPath = new Map<string, number>();
  for (const s of starts) byPath.set(s.importPath!, (byPath.get(s.importPath!) ?? 0) + 1);
  assert.deepEqual([...byPath.entries()].filter(([, n]) => n > 1), [], 'a package compiled twice');
  assert.ok(byPath.has('example.com/traced/lib') && byPath.has('example.com/traced'));
  // Only the two packages with the directive went to the wasm injector.
  const instrumented = logEvents(log).filter((e) => e.event === 'instrument').map((e) => e.importPath).sort();
  assert.deepEqual(instrumented, ['example.com/traced', 'example.com/traced/lib']);
});

test('a panic in an instrumented function points at the user\'s source line', () => {
  const out = run(exe, ['crash'], { cwd: mod });
  assert.notEqual(out.code, 0);
  assert.match(out.stdout, /ADVICE-V1 Crash\nabout to crash/);
  assert.match(out.stderr, /lib\.Crash\(\)\n\s+\S*\/lib\/lib\.go:14 /, out.stderr);
});

test('warm rebuild: nothing is recompiled and nothing reaches the injector', () => {
  const log = path.join(tempDir('log'), 'log.jsonl');
  orchestrionBuild(log);
  assert.equal(compiles(log).length, 0, JSON.stringify(compiles(log)));
  // Once the suffix is cached, a no-op build never starts the job server: bin/orchestrion answers
  // -V=full from the environment, and no compile connects.
  const again = path.join(tempDir('log'), 'log.jsonl');
  orchestrionBuild(again);
  const events = logEvents(again);
  assert.deepEqual(events.filter((e) => e.event === 'wrapper.suffix').map((e) => e.cached), [true]);
  assert.deepEqual(events.filter((e) => e.event === 'server.listen' || e.event === 'config.load'), []);
});

test('changing the template rebuilds and changes the binary', () => {
  const yml = path.join(mod, 'orchestrion.yml');
  const before = fs.readFileSync(exe);
  fs.writeFileSync(yml, fs.readFileSync(yml, 'utf8').replace('ADVICE-V1', 'ADVICE-V2'));
  const log = path.join(tempDir('log'), 'log.jsonl');
  orchestrionBuild(log);
  assert.ok(compiles(log).length > 0, 'nothing was recompiled after the configuration changed');
  assert.ok(!before.equals(fs.readFileSync(exe)));
  const out = run(exe, [], { cwd: mod });
  assert.equal(out.stdout, 'ADVICE-V2 work\nADVICE-V2 Double\nresult 42 8\nplain ran\n');
});

test('a fresh GOCACHE re-uses the instrumentation cache: same binary, nothing sent to the injector', () => {
  const log = path.join(tempDir('log'), 'log.jsonl');
  const other = path.join(tempDir('out'), 'traced');
  const r = run(BIN, ['go', 'build', '-o', other, '.'], { cwd: mod, env: goEnv(tempDir('gocache'), { ORCHESTRION_LOG_FILE: log }) });
  assert.equal(r.code, 0, describeResult(r));
  const woven = logEvents(log).filter((e) => e.event === 'instrument');
  assert.deepEqual(woven.map((e) => [e.importPath, e.cached]).sort(), [
    ['example.com/traced', true],
    ['example.com/traced/lib', true],
  ]);
  assert.ok(fs.readFileSync(other).equals(fs.readFileSync(exe)), 'the binary differs from the one built with the injector');
});

test('a plain go build with the same cache is not instrumented (no cache poisoning)', () => {
  const plainExe = `${exe}.plain`;
  const r = run('go', ['build', '-o', plainExe, '.'], { cwd: mod, env: goEnv(gocache) });
  assert.equal(r.code, 0, describeResult(r));
  const out = run(plainExe, [], { cwd: mod });
  assert.equal(out.stdout, 'result 42 8\nplain ran\n');
});

test('go build -toolexec "orchestrion toolexec" starts its own job server', () => {
  const log = path.join(tempDir('log'), 'log.jsonl');
  const other = `${exe}.toolexec`;
  const r = run('go', ['build', '-toolexec', `${BIN} toolexec`, '-o', other, '.'], {
    cwd: mod,
    env: goEnv(tempDir('gocache2'), { ORCHESTRION_LOG_FILE: log }),
  });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(other, [], { cwd: mod }).stdout, 'ADVICE-V2 work\nADVICE-V2 Double\nresult 42 8\nplain ran\n');
  const listens = logEvents(log).filter((e) => e.event === 'server.listen');
  assert.equal(listens.length, 1, 'exactly one job server for the whole build');
  // It ends with the go command that started it.
  const pid = listens[0]!.pid as number;
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  assert.equal(isAlive(pid), false, `job server ${pid} still running after its go command ended`);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('GOFLAGS=-toolexec=… works too, and hits the cache orchestrion go filled (same -V=full suffix)', () => {
  const other = `${exe}.goflags`;
  const log = path.join(tempDir('log'), 'log.jsonl');
  const r = run('go', ['build', '-o', other, '.'], {
    cwd: mod,
    env: goEnv(gocache, { GOFLAGS: `'-toolexec=${BIN} toolexec'`, ORCHESTRION_LOG_FILE: log }),
  });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(run(other, [], { cwd: mod }).stdout, /^ADVICE-V2 work/);
  assert.equal(compiles(log).length, 0);
});

test('build tags: only the files in the build are instrumented (-tags decides which)', () => {
  const lib = path.join(mod, 'lib');
  const marked = (tag: string, body: string) => `//go:build ${tag}\n\npackage lib\n\n//test:traced\nfunc Tagged() string {\n\t${body}\n}\n`;
  fs.writeFileSync(path.join(lib, 'tag_on.go'), marked('special', 'return "on"'));
  fs.writeFileSync(path.join(lib, 'tag_off.go'), marked('!special', 'return "off"'));
  // Never in any build: it does not even type-check, so weaving it would fail the build.
  fs.writeFileSync(path.join(lib, 'tag_never.go'), marked('never', 'return undefinedName'));
  fs.mkdirSync(path.join(mod, 'cmd', 'tags'), { recursive: true });
  fs.writeFileSync(path.join(mod, 'cmd', 'tags', 'main.go'), 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/traced/lib"\n)\n\nfunc main() { fmt.Println(lib.Tagged()) }\n');
  for (const [flags, want] of [[[], 'off'], [['-tags', 'special'], 'on']] as const) {
    const tagsExe = path.join(tempDir('out'), 'tags');
    const r = run(BIN, ['go', 'build', ...flags, '-o', tagsExe, './cmd/tags'], { cwd: mod, env: goEnv(gocache) });
    assert.equal(r.code, 0, describeResult(r));
    assert.match(run(tagsExe, [], { cwd: mod }).stdout, new RegExp(`^ADVICE-V\\d Tagged\\n${want}\\n$`));
  }
});
