// Injected packages and link-time dependencies, end to end: an app module and a separate runtime
// module (referenced by `replace`) whose integration package's aspects inject runtime packages the
// app never imports, one of them reachable only through //go:linkname (only link.deps brings it).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { prefetchSet } from '../src/cache/resolve-hint.ts';
import { Client } from '../src/jobserver/client.ts';
// The compiled server: its pool starts dist/pool/worker.js (`make all` builds it).
import { JobServer } from '../dist/jobserver/server.js';
import { LinkDeps } from '../src/gobuild/linkdeps.ts';
import { BIN, compiledPackages, describeResult, goEnv, logEvents, run, tempDir, tempModule } from './helpers.ts';

const INSTRUMENTED = 'linked calls: 1\nrt: enter [Hello] f7d18982\nhello gopher\n';

function fixture() {
  const root = tempModule('test/fixtures/inject');
  return { root, app: path.join(root, 'app'), runtime: path.join(root, 'runtime') };
}

/** Every package compiled at most once per build (test variants have their own import paths). */
function assertCompiledOnce(log: string) {
  const counts = new Map<string, number>();
  for (const p of compiledPackages(log)) counts.set(p, (counts.get(p) ?? 0) + 1);
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'packages compiled more than once');
  return counts;
}

const gocache = tempDir('gocache-inject');

test('orchestrion go build / run: injected packages, their own dependencies and link-only packages are built and linked', () => {
  const { app } = fixture();
  const log = path.join(tempDir('log'), 'log.jsonl');
  const exe = path.join(tempDir('out'), 'app');
  // GOTMPDIR: where go (and the job server's child builds) create their WORK directories.
  const tmp = tempDir('gotmp');
  // Every compile through the job server (no compile gate), so that the log shows each one.
  const r = run(BIN, ['go', 'build', '-work', '-o', exe, '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_LOG_FILE: log, GOTMPDIR: tmp, ORCHESTRION_COMPILE_GATE: '0' }) });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  // main imports every link-time dependency, also those found only in a package resolved in a later
  // round (deep: in the link.deps of mainhook, which main itself resolved).
  const work = /^WORK=(.+)$/m.exec(r.stderr)?.[1];
  assert.ok(work, r.stderr);
  // Under -work the child builds keep their WORK too, inside the build's: nothing else is left.
  assert.deepEqual(fs.readdirSync(tmp), [path.basename(work)]);
  const children = logEvents(log).filter((e) => e.event === 'resolve.finish').map((e) => e.work as string);
  assert.ok(children.length > 0);
  for (const w of children) assert.ok(w.startsWith(`${work}/go-build`) && fs.statSync(w).isDirectory(), `${w} not kept inside ${work}`);
  const synthetic = run('find', [work, '-name', 'link_deps_imports.go'], { cwd: app }).stdout.trim();
  const imports = fs.readFileSync(synthetic, 'utf8');
  fs.rmSync(work, { recursive: true, force: true });
  assert.deepEqual(fs.readdirSync(tmp), []);
  for (const p of ['example.com/runtime/mainhook', 'example.com/runtime/deep', 'example.com/runtime/linked']) assert.ok(imports.includes(`"${p}"`), imports);
  const counts = assertCompiledOnce(log);
  // The runtime packages were compiled by child builds of the same job server, once each.
  // deep is reached only through the link.deps of mainhook, injected into main and woven itself.
  for (const p of ['example.com/runtime/rt', 'example.com/runtime/fmtx', 'example.com/runtime/linked', 'example.com/runtime/mainhook', 'example.com/runtime/deep', 'hash/crc32']) assert.equal(counts.get(p), 1, p);
  // Without -work, nothing is left behind: neither go's WORK nor a child build's (the link resolves
  // its link-time dependencies with one).
  const runLog = path.join(tempDir('log'), 'run.jsonl');
  const runR = run(BIN, ['go', 'run', '.'], { cwd: app, env: goEnv(gocache, { GOTMPDIR: tmp, ORCHESTRION_LOG_FILE: runLog }) });
  assert.equal(runR.code, 0, describeResult(runR));
  assert.equal(runR.stdout, INSTRUMENTED);
  assert.ok(logEvents(runLog).some((e) => e.event === 'resolve.finish' && e.work === undefined), 'a child build ran, without -work');
  assert.deepEqual(fs.readdirSync(tmp), []);
  // With the compile gate and a cold cache, the compiles no aspect can touch skip the job server, and
  // the link.deps still reach main through the packages between (the binary is the same).
  const stats = path.join(tempDir('stats'), 'stats.json');
  const gated = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(tempDir('gocache-gate'), { GOTMPDIR: tmp, ORCHESTRION_STATS: stats }) });
  assert.equal(gated.code, 0, describeResult(gated));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  const report = JSON.parse(fs.readFileSync(stats, 'utf8')) as { ungated: number; compiles: number };
  assert.ok(report.ungated > 0 && report.ungated < report.compiles, JSON.stringify(report));
  assert.deepEqual(fs.readdirSync(tmp), []);
  // Without orchestrion the same app has none of it.
  const plain = run('go', ['run', '.'], { cwd: app, env: goEnv(gocache) });
  assert.equal(plain.stdout, 'hello gopher\n');
});

test("resolve hints: the next build resolves the last one's final package set ahead; a right, a wrong or no hint gives the same binary", () => {
  const { app } = fixture();
  const cacheDir = tempDir('orch-cache');
  const out = tempDir('out');
  const build = (name: string, cache: string) => {
    const log = path.join(tempDir('log'), `${name}.jsonl`);
    const r = run(BIN, ['go', 'build', '-trimpath', '-o', path.join(out, name), '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_CACHE_DIR: cache, ORCHESTRION_LOG_FILE: log }) });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(run(path.join(out, name), [], { cwd: app }).stdout, INSTRUMENTED);
    return { events: logEvents(log), bytes: fs.readFileSync(path.join(out, name)) };
  };
  // What toolexec calls asked: child builds started for them, and requests answered by another's.
  const asked = (events: ReturnType<typeof logEvents>) => {
    const sets = events
      .filter((e) => (e.event === 'resolve.start' && !(e.chain as string[]).includes('(prefetch)')) || e.event === 'resolve.covered')
      .map((e) => e.packages as string[]);
    return sets.filter((set, i) => sets.findIndex((o) => JSON.stringify(o) === JSON.stringify(set)) === i);
  };

  const first = build('first', cacheDir);
  assert.ok(!first.events.some((e) => e.event === 'resolve.prefetch'), 'no hint yet');
  const sets = asked(first.events);
  assert.ok(sets.length > 0, 'the link resolves its link-time dependencies');
  const hintDir = path.join(cacheDir, 'resolve-hint');
  const [hintFile] = fs.readdirSync(hintDir);
  assert.deepEqual((JSON.parse(fs.readFileSync(path.join(hintDir, hintFile!), 'utf8')) as { sets: string[][] }).sets, sets);

  const mainLinkDeps = () => {
    // Its own orchestrion cache: the build's resolve hint stays as the build left it.
    const r = run(BIN, ['go', 'list', '-trimpath', '-export', '-f', '{{.Export}}', '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_CACHE_DIR: tempDir('orch-cache') }) });
    assert.equal(r.code, 0, describeResult(r));
    return LinkDeps.fromArchive(r.stdout.trim()).format();
  };
  const firstLinkDeps = mainLinkDeps();
  // main changes: its compile and the link resolve again; the set they need was started ahead.
  fs.appendFileSync(path.join(app, 'main.go'), '\n// edited\n');
  const second = build('second', cacheDir);
  const prefetched = prefetchSet(sets);
  assert.deepEqual(second.events.find((e) => e.event === 'resolve.prefetch')?.packages, prefetched);
  // A compile whose set the prefetch holds is answered from it, with exactly what its own child
  // build would list: the link.deps main's archive records are the same as without it.
  assert.ok(sets.some((set) => set.every((x) => prefetched.includes(x)) && set.length < prefetched.length), `the fixture has a compile set inside the prefetched one: ${JSON.stringify(sets)}`);
  assert.ok(second.events.some((e) => e.event === 'resolve.covered' && e.superset === false), "main's compile used the prefetched resolution");
  assert.equal(mainLinkDeps(), firstLinkDeps);
  // Nothing changed since (the same output, up to date): a warm no-op build makes no toolexec call to
  // the server, so the hint starts nothing, not even the server.
  const noop = build('second', cacheDir);
  assert.deepEqual(noop.events.filter((e) => e.event === 'resolve.prefetch' || e.event === 'server.listen'), [], 'a warm no-op build with a hint starts nothing');
  // The same sources without a hint (main's compile cached: the link resolves on its own).
  const third = build('third', tempDir('orch-cache'));
  assert.ok(!third.events.some((e) => e.event === 'resolve.prefetch'));
  assert.ok(second.bytes.equals(third.bytes), 'a hinted build links the same binary');

  // No hint, main compiled: the link runs directly (bin/orchestrion's link gate), with what main's
  // compile resolved; the binary is the one a link through Node, resolving on its own (main's
  // compile cached), gives.
  fs.appendFileSync(path.join(app, 'main.go'), '\n// edited again\n');
  const gated = build('gated', tempDir('orch-cache'));
  assert.ok(!gated.events.some((e) => e.event === 'toolexec.link'), 'the link ran directly');
  const alone = build('alone', tempDir('orch-cache'));
  assert.ok(alone.events.some((e) => e.event === 'toolexec.link'), 'the link went through Node');
  assert.ok(gated.bytes.equals(alone.bytes), 'a link run directly links the same binary');

  // A hint naming what does not exist (stale, or forged in a shared cache) costs work, nothing else.
  const entry = JSON.parse(fs.readFileSync(path.join(hintDir, hintFile!), 'utf8')) as { sets: string[][] };
  fs.writeFileSync(path.join(hintDir, hintFile!), JSON.stringify({ ...entry, sets: [['example.com/app/no/such/package']] }));
  const forged = build('forged', cacheDir);
  if (forged.events.some((e) => e.event === 'resolve.prefetch')) assert.ok(forged.events.some((e) => e.event === 'resolve.prefetch-failed'));
  assert.ok(forged.bytes.equals(alone.bytes));
});

test('a link whose archives are all in go\'s cache is kept: a later relink of the same program copies it, byte for byte', () => {
  const { app } = fixture();
  const cache = tempDir('orch-cache');
  const out = tempDir('out');
  const exe = path.join(out, 'app');
  // Each build writes exe anew (go compares the build ID of an existing one and skips the link).
  const build = () => {
    fs.rmSync(exe, { force: true });
    const log = path.join(tempDir('log'), 'link.jsonl');
    const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_CACHE_DIR: cache, ORCHESTRION_LOG_FILE: log }) });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
    return { link: logEvents(log).find((e) => e.event === 'toolexec.link'), bytes: fs.readFileSync(exe) };
  };
  fs.appendFileSync(path.join(app, 'main.go'), '\n// a main compiled in this build: its archive is in $WORK\n');
  const first = build();
  assert.equal(first.link, undefined, 'main compiled through Node: the link ran directly (the link gate)');
  const second = build();
  assert.equal(second.link?.cacheable, true);
  assert.equal(second.link?.cached, false);
  const third = build();
  assert.equal(third.link?.cached, true, 'the kept link');
  assert.ok(third.bytes.equals(second.bytes), 'the same binary as the linker gave');
  // Another environment is another link.
  fs.rmSync(exe, { force: true });
  const log = path.join(tempDir('log'), 'link.jsonl');
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_CACHE_DIR: cache, ORCHESTRION_LOG_FILE: log, SOME_SETTING: 'x' }) });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(logEvents(log).find((e) => e.event === 'toolexec.link')?.cached, false);
});

test('go test (package and external _test package), -race, test -c', () => {
  const { app } = fixture();
  const log = path.join(tempDir('log'), 'log.jsonl');
  const r = run(BIN, ['go', 'test', '-v', '-count=1', './...'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_LOG_FILE: log }) });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, /=== RUN {3}TestHello\nrt: enter \[Hello\] f7d18982\n--- PASS: TestHello/);
  assert.match(r.stdout, /=== RUN {3}TestHelloExternal\nrt: enter \[helperFromExternalTest\] 3cbf5c60\nrt: enter \[Hello\] f7d18982\n--- PASS/);
  assertCompiledOnce(log);
  const race = run(BIN, ['go', 'test', '-race', '-count=1', '-v', './greet'], { cwd: app, env: goEnv(gocache) });
  assert.equal(race.code, 0, describeResult(race));
  assert.match(race.stdout, /rt: enter \[Hello\]/);
  const bin = path.join(tempDir('out'), 'greet.test');
  const c = run(BIN, ['go', 'test', '-c', '-o', bin, './greet'], { cwd: app, env: goEnv(gocache) });
  assert.equal(c.code, 0, describeResult(c));
  assert.match(run(bin, ['-test.v'], { cwd: app }).stdout, /rt: enter \[Hello\][\s\S]*PASS/);
});

test('-cover reports coverage of the user\'s own lines', () => {
  const { app } = fixture();
  const profile = path.join(tempDir('cover'), 'c.out');
  const r = run(BIN, ['go', 'test', '-count=1', `-coverprofile=${profile}`, './greet'], { cwd: app, env: goEnv(gocache) });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, /coverage: 100\.0% of statements/);
  const lines = fs.readFileSync(profile, 'utf8');
  assert.match(lines, /^example\.com\/app\/greet\/greet\.go:6\.\d+,8\.\d+ 1 1$/m);
  assert.doesNotMatch(lines, /<generated>|orchestrion\/src/);
});

test('go install with -trimpath -a -work -x', () => {
  const { app } = fixture();
  const gobin = tempDir('gobin');
  const r = run(BIN, ['go', 'install', '-trimpath', '-a', '-work', '-x', '.'], { cwd: app, env: goEnv(gocache, { GOBIN: gobin }) });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stderr, /^WORK=\S+$/m, '-work keeps and prints the work directory');
  assert.match(r.stderr, /orchestrion toolexec \S+\/compile /, '-x shows the toolexec-wrapped compiles');
  assert.equal(run(path.join(gobin, 'app'), [], { cwd: app }).stdout, INSTRUMENTED);
  const work = /^WORK=(\S+)$/m.exec(r.stderr)![1]!;
  fs.rmSync(work, { recursive: true, force: true });
});

test('vendor mode (-mod=vendor)', () => {
  const { app } = fixture();
  const v = run('go', ['mod', 'vendor'], { cwd: app, env: goEnv(gocache) });
  assert.equal(v.code, 0, describeResult(v));
  const exe = path.join(tempDir('out'), 'app');
  const r = run(BIN, ['go', 'build', '-mod=vendor', '-o', exe, '.'], { cwd: app, env: goEnv(gocache) });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
});

test('a go.work workspace, and edits to the runtime rebuild what was woven with it', () => {
  const { root, app, runtime } = fixture();
  fs.writeFileSync(path.join(root, 'go.work'), 'go 1.23\n\nuse (\n\t./app\n\t./runtime\n)\n');
  const exe = path.join(tempDir('out'), 'app');
  const cache = tempDir('gocache-work');
  const build = () => run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(cache) });
  let r = build();
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  const linked = path.join(runtime, 'linked', 'linked.go');
  fs.writeFileSync(linked, fs.readFileSync(linked, 'utf8').replace('calls++', 'calls += 10'));
  r = build();
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED.replace('linked calls: 1', 'linked calls: 10'));
});

test('go build -toolexec and GOFLAGS=-toolexec without orchestrion go', () => {
  const { app } = fixture();
  const exe = path.join(tempDir('out'), 'app');
  const r = run('go', ['build', '-toolexec', `${BIN} toolexec`, '-o', exe, '.'], { cwd: app, env: goEnv(gocache) });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  const t = run('go', ['test', '-count=1', './...'], { cwd: app, env: goEnv(gocache, { GOFLAGS: `'-toolexec=${BIN} toolexec'` }) });
  assert.equal(t.code, 0, describeResult(t));
});

function addAspect(runtime: string, yaml: string) {
  const f = path.join(runtime, 'integration', 'orchestrion.yml');
  fs.appendFileSync(f, yaml);
}

/** An aspect declaring, beside `declaration`, a //go:linkname reference to httphook.Hook (and `more`). */
function linksHttphook(id: string, declaration: string, more = ''): string {
  return `  - id: ${id}
    join-point:
      declaration-of: ${declaration}
    advice:
      - inject-declarations:
          links:
            - example.com/runtime/httphook
          template: |-
            //go:linkname __httphook example.com/runtime/httphook.Hook
            func __httphook(string)
${more}`;
}

test('an aspect on net/http whose injected package imports net/http: linked by //go:linkname, no cycle', () => {
  const { app, runtime } = fixture();
  addAspect(runtime, linksHttphook('http-hook', 'net/http.DefaultClient', '\n            func init() { __httphook("GET") }\n'));
  const exe = path.join(tempDir('out'), 'web');
  const r = run(BIN, ['go', 'build', '-o', exe, './cmd/web'], { cwd: app, env: goEnv(gocache) });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, 'httphook: GET true\n200\n');
});

test("a main package's first round also resolves what the build's woven code linked elsewhere: exactly its own answer, and the later round finds the rest resolved", async () => {
  const { app, runtime } = fixture();
  // A leaf package of the build (not a dependency of main) whose woven code links httphook.
  addAspect(runtime, linksHttphook('leaf-links-httphook', 'example.com/app/leaf.Leaf'));
  const leaf = path.join(app, 'leaf', 'leaf.go');
  fs.mkdirSync(path.dirname(leaf));
  fs.writeFileSync(leaf, 'package leaf\n\n// Leaf does nothing.\nfunc Leaf() {}\n');
  const importcfg = path.join(tempDir('cfg'), 'importcfg');
  fs.writeFileSync(importcfg, '# import config\n');
  const env = goEnv(tempDir('gocache-referenced'));
  const server = await JobServer.listen({ root: app, dir: path.join(tempDir('srv'), 's'), env, goArgs: ['build', '.'] });
  const c = await Client.connect(server.url);
  try {
    const tool = path.join(run('go', ['env', 'GOTOOLDIR'], { cwd: app, env }).stdout.trim(), 'compile');
    const woven = await c.call('instrument', { importPath: 'example.com/app/leaf', packageName: 'leaf', files: [leaf], importcfg, lang: 'go1.23', goos: process.platform, goarch: 'amd64', tool });
    assert.deepEqual(woven.errors, []);
    assert.ok(woven.references.some((r) => r.path === 'example.com/runtime/httphook'), JSON.stringify(woven.references));
    // main's compile, first round: mainhook, and with it httphook, in one child build.
    const first = await c.call('packages.resolve', { importPath: 'example.com/app', chain: [], packages: ['example.com/runtime/mainhook'], closure: true });
    assert.ok('example.com/runtime/mainhook' in first.archives);
    assert.ok(!('example.com/runtime/httphook' in first.archives), 'the answer holds only what was asked and its dependencies');
    // A later round asking for httphook: answered without another child build.
    const later = await c.call('packages.resolve', { importPath: 'example.com/app', chain: [], packages: ['example.com/runtime/httphook'], closure: true });
    assert.ok(fs.existsSync(later.archives['example.com/runtime/httphook']!));
    assert.equal((await c.call('stats', {})).childBuilds, 1);
  } finally {
    c.close();
    await server.close();
  }
});

test('importing it instead is a genuine cycle: a clear error naming the chain, not a hang', () => {
  const { app, runtime } = fixture();
  addAspect(
    runtime,
    `  - id: http-hook-import
    join-point:
      all-of:
        - import-path: net/http
        - function-body:
            function:
              - name: Get
    advice:
      - prepend-statements:
          imports:
            hook: example.com/runtime/httphook
          template: hook.Hook("GET")
`,
  );
  const r = run(BIN, ['go', 'build', '-o', path.join(tempDir('out'), 'web'), './cmd/web'], { cwd: app, env: goEnv(gocache), timeoutMs: 300_000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /aspect "http-hook-import" injects "example\.com\/runtime\/httphook"/);
  assert.match(r.stderr, /cycle detected: net\/http -> example\.com\/runtime\/httphook -> net\/http/);
});

test('a missing runtime module is a clear error, and the cache stays correct', () => {
  const { app, runtime } = fixture();
  const cache = tempDir('gocache-missing');
  fs.renameSync(runtime, `${runtime}.gone`);
  const exe = path.join(tempDir('out'), 'app');
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(cache) });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /orchestrion\.tool\.go:\d+:\d+: .*example\.com\/runtime\/integration/);
  assert.ok(!fs.existsSync(exe));
  fs.renameSync(`${runtime}.gone`, runtime);
  const ok = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(cache) });
  assert.equal(ok.code, 0, describeResult(ok));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
});

test('an injected package removed from the runtime names the aspect and the import', () => {
  const { app, runtime } = fixture();
  // Keep the integration package loadable: it stops importing rt, and rt goes away.
  const integration = path.join(runtime, 'integration', 'integration.go');
  fs.writeFileSync(integration, fs.readFileSync(integration, 'utf8').replace('\t_ "example.com/runtime/rt"\n', ''));
  fs.rmSync(path.join(runtime, 'rt'), { recursive: true });
  const r = run(BIN, ['go', 'build', '-o', path.join(tempDir('out'), 'app'), '.'], { cwd: app, env: goEnv(tempDir('gocache-rm')) });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /aspect "enter" injects "example\.com\/runtime\/rt", which cannot be found/);
});
