// Keys that are the same on every CI worker: two checkouts of one module at different paths, with
// different module caches, share Go's build cache under -trimpath (the second compiles nothing and
// links the same bytes), and a third with an empty GOCACHE finds the woven files in the first one's
// instrumentation cache, relocated to its own paths.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, compiledPackages, describeResult, goEnv, logEvents, ROOT, run, tempDir } from './helpers.ts';

const INSTRUMENTED = 'linked calls: 1\nrt: enter [Hello] f7d18982\nhello gopher\n';

/** The inject fixture, its injected runtime package also importing a module from the module cache. */
function checkout(parent: string): string {
  fs.mkdirSync(parent, { recursive: true });
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'inject'), parent, { recursive: true });
  const rt = path.join(parent, 'runtime', 'rt', 'rt.go');
  fs.writeFileSync(rt, fs.readFileSync(rt, 'utf8').replace('"example.com/runtime/fmtx"\n', '"example.com/runtime/fmtx"\n\t_ "gopkg.in/yaml.v3"\n'));
  return path.join(parent, 'app');
}

function suffixOf(log: string): string {
  const e = logEvents(log).find((x) => x.event === 'config.load');
  assert.ok(e, 'no config.load event');
  return String(e.suffix);
}

test('-trimpath: checkouts at other paths with other module caches share every action, and link the same bytes', () => {
  const gocache = tempDir('gocache-paths');
  const modA = tempDir('modcache-a');
  const appA = checkout(path.join(tempDir('worker-a'), 'src'));
  const envA = (extra: Record<string, string> = {}) => goEnv(gocache, { GOMODCACHE: modA, GOFLAGS: '-modcacherw', ...extra });
  // The module and its go.sum, prepared once and copied: both workers build the same commit.
  for (const dir of [path.join(appA, '..', 'runtime'), appA]) {
    const r = run('go', ['mod', 'edit', '-require=gopkg.in/yaml.v3@v3.0.1'], { cwd: dir, env: envA() });
    assert.equal(r.code, 0, describeResult(r));
    const t = run('go', ['mod', 'tidy'], { cwd: dir, env: envA() });
    assert.equal(t.code, 0, describeResult(t));
  }
  const parentB = path.join(tempDir('worker-b'), 'deeper', 'checkout');
  fs.cpSync(path.dirname(appA), parentB, { recursive: true });
  const appB = path.join(parentB, 'app');

  const orchA = tempDir('orch-a');
  const logA = path.join(tempDir('log'), 'a.jsonl');
  const exeA = path.join(tempDir('out'), 'app');
  const a = run(BIN, ['go', 'build', '-trimpath', '-o', exeA, '.'], { cwd: appA, env: envA({ ORCHESTRION_CACHE_DIR: orchA, ORCHESTRION_LOG_FILE: logA }) });
  assert.equal(a.code, 0, describeResult(a));
  assert.equal(run(exeA, [], { cwd: appA }).stdout, INSTRUMENTED);

  // Worker B: another checkout path, another module cache (filled from A's download cache, as a
  // CI worker's would be from the proxy), its own orchestrion cache, the same GOCACHE.
  const modB = tempDir('modcache-b');
  const envB = (extra: Record<string, string>) =>
    goEnv(gocache, { GOMODCACHE: modB, GOFLAGS: '-modcacherw', GOPROXY: `file://${modA}/cache/download`, GOSUMDB: 'off', ...extra });
  const logB = path.join(tempDir('log'), 'b.jsonl');
  const exeB = path.join(tempDir('out'), 'app');
  const b = run(BIN, ['go', 'build', '-trimpath', '-o', exeB, '.'], { cwd: appB, env: envB({ ORCHESTRION_CACHE_DIR: tempDir('orch-b'), ORCHESTRION_LOG_FILE: logB }) });
  assert.equal(b.code, 0, describeResult(b));
  assert.equal(suffixOf(logB), suffixOf(logA), 'the -V=full suffix depends on the checkout or module cache path');
  assert.deepEqual(compiledPackages(logB), [], 'worker B compiled packages that worker A had compiled');
  assert.ok(fs.readFileSync(exeB).equals(fs.readFileSync(exeA)), 'the binaries differ');

  // Worker C: yet another path and an empty GOCACHE, but A's orchestrion cache: every woven
  // package comes from the instrumentation cache, with //line directives naming C's own files.
  const parentC = path.join(tempDir('worker-c'), 'x');
  fs.cpSync(path.dirname(appA), parentC, { recursive: true });
  const appC = path.join(parentC, 'app');
  const logC = path.join(tempDir('log'), 'c.jsonl');
  const exeC = path.join(tempDir('out'), 'app');
  const c = run(BIN, ['go', 'build', '-trimpath', '-work', '-o', exeC, '.'], {
    cwd: appC,
    env: goEnv(tempDir('gocache-c'), { GOMODCACHE: modB, GOFLAGS: '-modcacherw', GOPROXY: 'off', ORCHESTRION_CACHE_DIR: orchA, ORCHESTRION_LOG_FILE: logC }),
  });
  assert.equal(c.code, 0, describeResult(c));
  const work = /^WORK=(.+)$/m.exec(c.stderr)?.[1];
  assert.ok(work, c.stderr);
  const woven = logEvents(logC).filter((e) => e.event === 'instrument' && Array.isArray(e.modified) && e.modified.length > 0);
  assert.ok(woven.length >= 3, JSON.stringify(woven));
  assert.deepEqual(woven.filter((e) => e.cached !== true).map((e) => e.importPath), [], 'woven again instead of read from the instrumentation cache');
  const mainGo = run('find', [work, '-path', '*/orchestrion/*', '-name', 'main.go'], { cwd: appC }).stdout.trim().split('\n')[0]!;
  const text = fs.readFileSync(mainGo, 'utf8');
  fs.rmSync(work, { recursive: true, force: true });
  assert.ok(text.includes(`//line ${path.join(appC, 'main.go')}:`), text);
  assert.ok(!text.includes(appA), text);
  assert.ok(fs.readFileSync(exeC).equals(fs.readFileSync(exeA)), 'the binary built from the relocated cache entries differs');
});
