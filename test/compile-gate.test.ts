// The compile gate: which compiles bin/orchestrion may run without Node. Its soundness against the
// pre-filters (a closed gate means every aspect is ruled out by them), and the shell's reading of
// the gate files on real command lines.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { compileGate, configurationGate, fileMayMatch, packageClause, packageMayMatch, type Gate, type PackageContext } from '../src/config/prefilter.ts';
import { archiveRecord, makeGateDir, recordArchiveDeps, recordActionDeps, recordCachedArchiveDeps, recordEmptyArchives, recordLinkAdditions, writeGate, type GatedAspect } from '../src/jobserver/compile-gate.ts';
import { appendMember, readMember } from '../src/gobuild/archive.ts';
import { parseImportConfig } from '../src/gobuild/importcfg.ts';
import { LinkDeps } from '../src/gobuild/linkdeps.ts';
import { BIN, run, tempDir } from './helpers.ts';

/** What bin/orchestrion decides, in TypeScript: whether the gate lets the compile through to Node. */
function opens(g: Gate, c: { importPath: string; p: string; files: string[]; importcfg: string }): boolean {
  if (g === 'always') return true;
  if (g.mainPackage && (c.p === 'main' || c.p !== c.importPath)) return true;
  if (g.paths.has(c.importPath) || (g.testMain && c.importPath.endsWith('.test'))) return true;
  return [...g.needles].some((n) => [...c.files, c.importcfg].some((f) => f.includes(n)));
}

const JOIN_POINTS: unknown[] = [
  { 'function-body': { directive: 'dd:span' } },
  { 'function-call': 'net/http.Get' },
  { 'declaration-of': 'example.com/x.Flag' },
  { 'method-call': { receiver: '*database/sql.DB', name: 'Query' } },
  { 'struct-definition': 'runtime.g' },
  { 'struct-literal': { type: 'example.com/x.Config' } },
  { 'value-declaration': 'example.com/x.T' },
  { 'value-declaration': 'bool' },
  { 'import-path': 'example.com/x' },
  { 'package-name': 'main' },
  { 'package-name': 'x' },
  { 'test-main': true },
  { 'test-main': false },
  { 'package-filter': 'example.com/**' },
  { not: { 'import-path': 'net/http' } },
  { function: [{ name: 'Serve' }, { receiver: '*net/http.Server' }] },
  { function: [{ signature: { args: ['context.Context'], returns: ['error'] } }] },
  { 'all-of': [{ 'package-name': 'main' }, { 'test-main': false }, { 'function-body': { function: [{ name: 'main' }] } }] },
  { 'one-of': [{ 'import-path': 'example.com/x' }, { 'function-call': 'example.com/y.New' }] },
  { 'one-of': [{ directive: 'orchestrion:enabled' }, { 'declaration-of': 'example.com/x.WithOrchestrion' }] },
  { 'all-of': [{ 'value-declaration': 'bool' }, { 'one-of': [{ directive: 'a' }, { 'declaration-of': 'example.com/x.B' }] }] },
];

const PATHS = ['example.com/x', 'example.com/y', 'net/http', 'runtime', 'main', 'example.com/x.test', 'example.com/x [example.com/x.test]'];
const SNIPPETS = ['//dd:span', 'Get(', 'Flag', 'Query', 'struct{}', 'Config{}', 'Serve', 'main', 'New', 'WithOrchestrion', '//orchestrion:enabled', '//a', 'B', 'error', ''];

test('a closed gate means the pre-filters rule the aspect out, on every combination tried', () => {
  let closedSeen = 0;
  let n = 0;
  for (const jp of JOIN_POINTS) {
    const g = compileGate(jp);
    for (const importPath of PATHS) {
      for (const imports of [[], ['net/http'], ['example.com/x', 'context'], ['example.com/y', 'database/sql']]) {
        for (const pkgName of ['main', 'x']) {
          for (let s = 0; s < SNIPPETS.length; s++) {
            const content = `package ${pkgName}\n\nfunc f() { ${SNIPPETS[s]} ${SNIPPETS[(s * 7 + 3) % SNIPPETS.length]} }\n`;
            const p = pkgName === 'main' && !importPath.includes('[') ? 'main' : importPath.replace(/ \[.*$/, '');
            const importcfg = ['# import config', ...imports.map((i) => `packagefile ${i}=/w/b001/${i}.a`)].join('\n') + '\n';
            const ctx: PackageContext = { importPath, imports: new Set(imports), rootModule: 'example.com', testMain: pkgName === 'main' && importPath.endsWith('.test') };
            n++;
            if (opens(g, { importPath, p, files: [content], importcfg })) continue;
            closedSeen++;
            const ruledOut = packageMayMatch(jp, ctx) === 'no' || fileMayMatch(jp, { content, packageName: packageClause(content) }) === 'no';
            assert.ok(ruledOut, `${JSON.stringify(jp)} closed but not ruled out for ${importPath} (${pkgName}) ${JSON.stringify(content)} with ${imports}`);
          }
        }
      }
    }
  }
  assert.ok(closedSeen > n / 4, `the gate closed on ${closedSeen} of ${n} cases: it should close on most`);
});

test('gates of join points: narrowest part of an all-of, union of a one-of, always where nothing is known', () => {
  assert.equal(compileGate({ not: { 'import-path': 'x' } }), 'always');
  assert.equal(compileGate({ 'package-filter': 'x/**' }), 'always');
  const span = compileGate({ 'function-body': { directive: 'dd:span' } });
  assert.notEqual(span, 'always');
  if (span !== 'always') assert.deepEqual([...span.needles], ['//dd:span']);
  // net/http.Get: the importcfg key (rare) rather than the identifier `Get` (in many files).
  const get = compileGate({ 'function-call': 'net/http.Get' });
  if (get === 'always') assert.fail('function-call has a gate');
  assert.deepEqual([...get.needles].sort(), ['importmap net/http=', 'packagefile net/http=']);
  const main = compileGate({ 'all-of': [{ 'package-name': 'main' }, { 'function-body': { function: [{ name: 'main' }] } }] });
  if (main === 'always') assert.fail('package-name main has a gate');
  assert.equal(main.mainPackage, true);
  assert.deepEqual([...main.needles], []);
  assert.equal(configurationGate([{ directive: 'a' }, { 'package-filter': 'x' }]), 'always');
});

/** Aspects for users' code (not tracer-internal). */
const user = (jps: unknown[]): GatedAspect[] => jps.map((joinPoint) => ({ joinPoint, tracerInternal: false }));

/** A gate directory and a compile command line as cmd/go writes it, with a fake compiler. */
function gateFixture(aspects: GatedAspect[], files: Record<string, string>, importcfg: string, p = 'example.com/x', facts?: string) {
  const dir = tempDir('gate');
  const gateDir = path.join(dir, 'gate');
  makeGateDir(gateDir, facts);
  writeGate(gateDir, aspects);
  const work = path.join(dir, 'work');
  fs.mkdirSync(path.join(work, 'b001'), { recursive: true });
  const cfg = path.join(work, 'b001', 'importcfg');
  fs.writeFileSync(cfg, importcfg.replaceAll('$WORK', work));
  const goFiles = Object.entries(files).map(([name, content]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  });
  // The "compiler" writes an archive of one member and says it ran; Node, reached when the gate is
  // open, fails: no job server.
  const compiler = path.join(dir, 'compile');
  fs.writeFileSync(compiler, `#!/bin/sh\ncp ${JSON.stringify(path.join(dir, 'object.a'))} "$2"\necho compiled-directly\n`);
  fs.chmodSync(compiler, 0o755);
  fs.writeFileSync(path.join(dir, 'object.a'), '!<arch>\n');
  appendMember(path.join(dir, 'object.a'), '__.PKGDEF', 'go object linux amd64\n');
  const out = path.join(work, 'b001', '_pkg_.a');
  const args = ['toolexec', compiler, '-o', out, '-p', p, '-buildid', 'abc/abc', '-importcfg', cfg, ...goFiles];
  const call = (importPath = 'example.com/x') => run(BIN, args, { cwd: dir, env: { ...process.env, ORCHESTRION_GATE_DIR: gateDir, TOOLEXEC_IMPORTPATH: importPath, ORCHESTRION_JOBSERVER_URL: 'unix:/nonexistent' } });
  return { gateDir, work, cfg, out, object: path.join(dir, 'object.a'), call };
}

test('bin/orchestrion runs a compile directly only when the gate is closed for it', () => {
  const gate = user([{ 'function-body': { directive: 'dd:span' } }, { 'function-call': 'net/http.Get' }, { 'import-path': 'example.com/special' }]);
  const plainCfg = '# import config\npackagefile fmt=$WORK/b002/_pkg_.a\n';
  const closed = gateFixture(gate, { 'a.go': 'package x\n\nfunc A() {}\n' }, plainCfg);
  let r = closed.call();
  assert.equal(r.stdout, 'compiled-directly\n', r.stderr);
  assert.equal(fs.readFileSync(path.join(closed.gateDir, 'ungated'), 'utf8'), 'example.com/x\n');
  // A path of the gate: through Node (here: no job server, so it fails).
  r = closed.call('example.com/special');
  assert.notEqual(r.stdout, 'compiled-directly\n');
  // A needle in a file, an importcfg key, an import from go's cache, a carrier among the imports.
  for (const [files, cfg] of [
    [{ 'a.go': 'package x\n\n//dd:span\nfunc A() {}\n' }, plainCfg],
    [{ 'a.go': 'package x\n' }, '# import config\npackagefile net/http=$WORK/b003/_pkg_.a\n'],
    [{ 'a.go': 'package x\n' }, '# import config\npackagefile fmt=/home/u/.cache/go-build/01/0123-d\n'],
  ] as const) {
    const f = gateFixture(gate, files, cfg);
    assert.notEqual(f.call().stdout, 'compiled-directly\n', JSON.stringify([files, cfg]));
  }
  // An import from go's cache known to carry no link.deps (a compile through Node read it).
  const cached = `/home/u/.cache/go-build/ab/${'ab'.repeat(32)}-d`;
  const fromCache = gateFixture(gate, { 'a.go': 'package x\n' }, `# import config\npackagefile fmt=${cached}\npackagefile io=$WORK/b004/_pkg_.a\n`);
  assert.notEqual(fromCache.call().stdout, 'compiled-directly\n');
  recordEmptyArchives(fromCache.gateDir, [cached, '/elsewhere/not-a-cache-file.a']);
  assert.equal(fromCache.call().stdout, 'compiled-directly\n');
  // One of an action this build compiled: its build ID (go's fourth line of the archive) names the
  // record of its link.deps. The compile the shell just ran is such an action itself (-buildid abc/abc).
  assert.equal(fs.readFileSync(path.join(fromCache.gateDir, 'facts', 'ids', 'abc'), 'utf8'), '');
  const cachedDir = tempDir('gate-cache-ids');
  const goArchive = (name: string, buildID: string) => {
    const f = path.join(cachedDir, 'ef', `${name.repeat(32)}-d`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, '!<arch>\n');
    appendMember(f, '__.PKGDEF', `go object linux amd64 go1.26.8 GOAMD64=v1 X:none\nbuild id "${buildID}"\n\n$$B\n`);
    return f;
  };
  const known = goArchive('ef', 'XOgE2EGUXzId_yu2BsAc/Jil2NFrzxV3pO5JaPRDH');
  const other = goArchive('fe', 'AAAAAAAAAAAAAAAAAAAA/Jil2NFrzxV3pO5JaPRDH');
  const byAction = gateFixture(gate, { 'a.go': 'package x\n' }, `# import config\npackagefile fmt=${known}\npackagefile io=${other}\n`);
  recordActionDeps(byAction.gateDir, 'XOgE2EGUXzId_yu2BsAc/XOgE2EGUXzId_yu2BsAc', '');
  assert.notEqual(byAction.call().stdout, 'compiled-directly\n', 'io: an action not recorded');
  recordActionDeps(byAction.gateDir, 'AAAAAAAAAAAAAAAAAAAA/AAAAAAAAAAAAAAAAAAAA', '#link.deps@v2\nrelocation\texample.com/r\n');
  let byActionRun = byAction.call();
  assert.equal(byActionRun.stdout, 'compiled-directly\n', byActionRun.stderr);
  assert.equal(readMember(byAction.out, 'link.deps')?.toString(), '#link.deps@v2\nrelocation\texample.com/r\n', 'passed on from the record of its action');
  assert.equal(fs.readFileSync(path.join(byAction.gateDir, 'facts', 'ids', 'abc'), 'utf8'), '#link.deps@v2\nrelocation\texample.com/r\n', 'its own action, recorded with them');
  recordActionDeps(byAction.gateDir, 'AAAAAAAAAAAAAAAAAAAA/AAAAAAAAAAAAAAAAAAAA', '');
  byActionRun = byAction.call();
  assert.equal(byActionRun.stdout, 'compiled-directly\n', byActionRun.stderr);
  assert.equal(readMember(byAction.out, 'link.deps'), undefined);
  recordActionDeps(byAction.gateDir, 'not an id/x', '');
  fs.writeFileSync(other, '!<arch>\n');
  assert.notEqual(byAction.call().stdout, 'compiled-directly\n', 'an archive without a build ID line');
  fs.rmSync(other);
  assert.notEqual(byAction.call().stdout, 'compiled-directly\n', 'an archive that cannot be read');
  // Imports with link.deps: the shell passes them on as a compile through Node would.
  const cacheFile = path.join(tempDir('gate-cache'), 'ab', `${'cd'.repeat(32)}-d`);
  const inheritedCfg = `# import config\nimportmap example.com/alias=example.com/provided\npackagefile fmt=$WORK/b002/_pkg_.a\npackagefile example.com/provided=$WORK/b005/_pkg_.a\npackagefile io=${cacheFile}\n`;
  const carrier = gateFixture(gate, { 'a.go': 'package x\n' }, inheritedCfg);
  /** An archive as a compile leaves it, with the link.deps `deps` when given (recorded, as its writer does). */
  const archive = (file: string, deps?: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(carrier.object, file);
    if (deps === undefined) return;
    appendMember(file, 'link.deps', deps);
    recordArchiveDeps(carrier.gateDir, file, deps);
  };
  archive(cacheFile);
  archive(path.join(carrier.work, 'b002', '_pkg_.a'));
  archive(path.join(carrier.work, 'b005', '_pkg_.a'));
  recordEmptyArchives(carrier.gateDir, [cacheFile]);
  r = carrier.call();
  assert.equal(r.stdout, 'compiled-directly\n', r.stderr);
  assert.equal(readMember(carrier.out, 'link.deps'), undefined);
  archive(path.join(carrier.work, 'b002', '_pkg_.a'), '#link.deps@v2\nrelocation\texample.com/z\nrelocation\texample.com/a/b\nimport\texample.com/alias\n');
  archive(path.join(carrier.work, 'b005', '_pkg_.a'), '#link.deps@v2\nimport\texample.com/z\nrelocation\texample.com/a\n');
  r = carrier.call();
  assert.equal(r.stdout, 'compiled-directly\n', r.stderr);
  const expected = path.join(carrier.work, 'expected.a');
  fs.copyFileSync(carrier.object, expected);
  const inherited = LinkDeps.inherited(parseImportConfig(fs.readFileSync(carrier.cfg, 'utf8'), carrier.cfg));
  assert.deepEqual(inherited.entries(), [['example.com/a', 'relocation'], ['example.com/a/b', 'relocation'], ['example.com/z', 'import']]);
  appendMember(expected, 'link.deps', inherited.format());
  assert.deepEqual(fs.readFileSync(carrier.out), fs.readFileSync(expected));
  // Its own record, for its importers.
  assert.equal(fs.readFileSync(archiveRecord(carrier.gateDir, carrier.out), 'utf8'), inherited.format());
  // A main package imports what it inherits (Node's generated file): through Node.
  const main = gateFixture(gate, { 'a.go': 'package main\n' }, plainCfg, 'main');
  recordArchiveDeps(main.gateDir, path.join(main.work, 'b002', '_pkg_.a'), '#link.deps@v2\nimport\texample.com/z\n');
  assert.notEqual(main.call().stdout, 'compiled-directly\n');
  // A cached import recorded with link.deps (read by a compile through Node); a record in a format the shell does not read.
  const fromCacheDeps = gateFixture(gate, { 'a.go': 'package x\n' }, `# import config\npackagefile io=${cached}\n`);
  recordCachedArchiveDeps(fromCacheDeps.gateDir, new Map([[cached, '#link.deps@v2\nimport\texample.com/z\n']]));
  assert.equal(fromCacheDeps.call().stdout, 'compiled-directly\n');
  assert.equal(readMember(fromCacheDeps.out, 'link.deps')?.toString(), '#link.deps@v2\nimport\texample.com/z\n');
  recordCachedArchiveDeps(fromCacheDeps.gateDir, new Map([[cached, '#link.deps@v1\nexample.com/z\n']]));
  assert.notEqual(fromCacheDeps.call().stdout, 'compiled-directly\n');
  // No gate written ('always'): everything through Node.
  const always = gateFixture(user([{ 'package-filter': 'example.com/**' }]), { 'a.go': 'package x\n' }, plainCfg);
  assert.notEqual(always.call().stdout, 'compiled-directly\n');
});

test("the gate's facts outlive a build: the next build's gate closes on what an earlier one learnt of go's cache", () => {
  const gate = user([{ 'function-call': 'net/http.Get' }]);
  const facts = path.join(tempDir('gate-facts'), 'gate-facts');
  const cached = `/home/u/.cache/go-build/ab/${'ab'.repeat(32)}-d`;
  const withDeps = `/home/u/.cache/go-build/cd/${'cd'.repeat(32)}-d`;
  const cfg = `# import config\npackagefile fmt=${cached}\npackagefile io=${withDeps}\n`;
  const first = gateFixture(gate, { 'a.go': 'package x\n' }, cfg, 'example.com/x', facts);
  assert.notEqual(first.call().stdout, 'compiled-directly\n', 'nothing known yet');
  // What a compile through Node of the first build read.
  recordEmptyArchives(first.gateDir, [cached]);
  recordCachedArchiveDeps(first.gateDir, new Map([[withDeps, '#link.deps@v2\nimport\texample.com/z\n']]));
  fs.rmSync(first.gateDir, { recursive: true }); // the first build is over
  const next = gateFixture(gate, { 'a.go': 'package x\n' }, cfg, 'example.com/x', facts);
  const r = next.call();
  assert.equal(r.stdout, 'compiled-directly\n', r.stderr);
  assert.equal(readMember(next.out, 'link.deps')?.toString(), '#link.deps@v2\nimport\texample.com/z\n');
  // The shell's own compile (action abc) is a fact for later builds too.
  assert.equal(fs.readFileSync(path.join(facts, 'ids', 'abc'), 'utf8'), '#link.deps@v2\nimport\texample.com/z\n');
  // A build without the shared facts knows nothing of them.
  assert.notEqual(gateFixture(gate, { 'a.go': 'package x\n' }, cfg).call().stdout, 'compiled-directly\n');
});

test('bin/orchestrion links directly when the main compile through Node recorded what the link needs', () => {
  const dir = tempDir('link-gate');
  const gateDir = path.join(dir, 'gate');
  makeGateDir(gateDir);
  const work = path.join(dir, 'work');
  const b = (n: string) => path.join(work, n, '_pkg_.a');
  for (const n of ['b001', 'b002', 'b003']) fs.mkdirSync(path.join(work, n), { recursive: true });
  const mainArchive = b('b001');
  const injected = path.join(dir, 'cache', 'tracer.a');
  const cfg = path.join(work, 'b001', 'importcfg.link');
  const original = `packagefile example.com/app=${mainArchive}\npackagefile net/http=${b('b002')}\npackagefile fmt=${b('b003')}\nmodinfo "x"\n`;
  // The "linker" prints the importcfg it was given; Node, reached when the gate is open, fails: no job server.
  const linker = path.join(dir, 'link');
  fs.writeFileSync(linker, '#!/bin/sh\nwhile [ "$1" != -importcfg ]; do shift; done\necho linked-directly\ncat "$2"\n');
  fs.chmodSync(linker, 0o755);
  const call = () => {
    fs.writeFileSync(cfg, original);
    fs.rmSync(`${cfg}.original`, { force: true });
    return run(BIN, ['toolexec', linker, '-o', path.join(work, 'b001', 'exe', 'a.out'), '-importcfg', cfg, '-buildmode=exe', mainArchive], { cwd: dir, env: { ...process.env, ORCHESTRION_GATE_DIR: gateDir, TOOLEXEC_IMPORTPATH: 'example.com/app', ORCHESTRION_JOBSERVER_URL: 'unix:/nonexistent' } });
  };
  // Main's compile through Node has not recorded its additions: through Node.
  recordArchiveDeps(gateDir, mainArchive, '#link.deps@v2\nimport\texample.com/tracer\n');
  assert.notEqual(call().stdout.split('\n')[0], 'linked-directly');
  recordLinkAdditions(gateDir, mainArchive, [['example.com/tracer', injected], ['example.com/tracer/internal', `${injected}2`], ['fmt', '/elsewhere/fmt.a']]);
  let r = call();
  assert.equal(r.stdout, `linked-directly\n${original}packagefile example.com/tracer=${injected}\npackagefile example.com/tracer/internal=${injected}2\n`, r.stderr);
  assert.equal(fs.readFileSync(`${cfg}.original`, 'utf8'), original);
  // Another archive carries a dependency neither the importcfg nor the additions provide: through Node.
  recordArchiveDeps(gateDir, b('b002'), '#link.deps@v2\nrelocation\texample.com/other\n');
  assert.notEqual(call().stdout.split('\n')[0], 'linked-directly');
  // Provided by the importcfg itself, or among the additions: directly.
  recordArchiveDeps(gateDir, b('b002'), '#link.deps@v2\nrelocation\tfmt\nimport\texample.com/tracer/internal\n');
  r = call();
  assert.equal(r.stdout.split('\n')[0], 'linked-directly', r.stderr);
  // A record in a format the shell does not read; an archive of go's cache nothing is known of.
  recordArchiveDeps(gateDir, b('b002'), '#link.deps@v1\nfmt\n');
  assert.notEqual(call().stdout.split('\n')[0], 'linked-directly');
  fs.rmSync(archiveRecord(gateDir, b('b002')));
  const cached = path.join(dir, 'gocache', 'ab', `${'ab'.repeat(32)}-d`);
  fs.writeFileSync(cfg, original);
  const withCached = `${original}packagefile io=${cached}\n`;
  const callWith = (content: string) => {
    fs.writeFileSync(cfg, content);
    fs.rmSync(`${cfg}.original`, { force: true });
    return run(BIN, ['toolexec', linker, '-importcfg', cfg, mainArchive], { cwd: dir, env: { ...process.env, ORCHESTRION_GATE_DIR: gateDir, ORCHESTRION_JOBSERVER_URL: 'unix:/nonexistent' } });
  };
  assert.notEqual(callWith(withCached).stdout.split('\n')[0], 'linked-directly');
  recordEmptyArchives(gateDir, [cached]);
  assert.equal(callWith(withCached).stdout.split('\n')[0], 'linked-directly');
  // Nothing in the link carries link.deps: the importcfg as cmd/go wrote it.
  fs.rmSync(archiveRecord(gateDir, mainArchive));
  r = callWith(original);
  assert.equal(r.stdout, `linked-directly\n${original}`, r.stderr);
});

test("Orchestrion's special cases have their own gates: dd-trace-go's packages only tracer-internal aspects', orchestrion's none", () => {
  const aspects: GatedAspect[] = [
    { joinPoint: { 'function-call': 'net/http.Get' }, tracerInternal: false },
    { joinPoint: { 'function-body': { directive: 'dd:span' } }, tracerInternal: false },
    {
      joinPoint: { 'all-of': [{ 'one-of': [{ 'import-path': 'github.com/DataDog/dd-trace-go/v2/ddtrace/tracer' }, { 'import-path': 'github.com/DataDog/dd-trace-go/v2/internal' }] }, { 'struct-literal': { type: 'net/http.Transport' } }] },
      tracerInternal: true,
    },
  ];
  const httpCfg = '# import config\npackagefile net/http=$WORK/b003/_pkg_.a\n';
  const cases: [string, Record<string, string>, boolean][] = [
    // Users' code importing net/http: through Node.
    ['example.com/x', { 'a.go': 'package x\n' }, false],
    // dd-trace-go's: net/http is not enough, only the tracer-internal aspect's paths.
    ['github.com/DataDog/dd-trace-go/v2/internal/telemetry', { 'a.go': 'package telemetry\n\n//dd:span\nfunc F() {}\n' }, true],
    ['github.com/DataDog/dd-trace-go/contrib/net/http/v2', { 'a.go': 'package http\n' }, true],
    ['github.com/DataDog/dd-trace-go/v2/internal', { 'a.go': 'package internal\n' }, false],
    ['github.com/DataDog/dd-trace-go/v2/ddtrace/tracer', { 'a.go': 'package tracer\n' }, false],
    // Its integration tests are woven as users' code.
    ['github.com/DataDog/dd-trace-go/v2/internal/orchestrion/_integration/x', { 'a.go': 'package x\n' }, false],
    // Orchestrion's own packages are never woven, its runtime is.
    ['github.com/DataDog/orchestrion/internal/x', { 'a.go': 'package x\n\n//dd:span\nfunc F() {}\n' }, true],
    ['github.com/DataDog/orchestrion/runtime/x', { 'a.go': 'package x\n' }, false],
    // A path that only starts like a special case's.
    ['github.com/DataDog/dd-trace-go-fork/x', { 'a.go': 'package x\n' }, false],
  ];
  for (const [importPath, files, direct] of cases) {
    const f = gateFixture(aspects, files, httpCfg, importPath);
    const r = f.call(importPath);
    assert.equal(r.stdout === 'compiled-directly\n', direct, `${importPath}: ${r.stdout}${r.stderr}`);
  }
  // Without tracer-internal aspects, dd-trace-go's packages are closed to every needle.
  const none = gateFixture(aspects.slice(0, 2), { 'a.go': 'package internal\n' }, httpCfg, 'github.com/DataDog/dd-trace-go/v2/internal');
  assert.equal(none.call('github.com/DataDog/dd-trace-go/v2/internal').stdout, 'compiled-directly\n');
});
