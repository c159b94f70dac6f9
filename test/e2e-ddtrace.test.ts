// End to end with dd-trace-go v2's own aspects, unchanged: the example app (examples/traced: an
// HTTP server and client, SQLite through database/sql and cgo, //dd:span functions) is built with
// `orchestrion go build` against dd-trace-go from the module proxy, run beside a fake trace agent,
// and the span tree the agent receives is checked. The same app built plainly sends nothing.
// `orchestrion instrument -deps` gives, for every file, the bytes that build wove.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { assertAppTrace } from './ddtrace-app.ts';
import { runWithAgent } from './fakeagent.ts';
import { BIN, compiledPackages, compiledTwice, describeResult, goEnv, logEvents, run, tempDir, tempModule } from './helpers.ts';
import { assertSameAsBuild, wovenInWork, type JsonReport } from './instrument-report.ts';

const mod = tempModule('examples/traced');
// One cache for the file: the plain build, the instrumented build and the tests share what they can.
const gocache = tempDir('gocache');
const out = tempDir('out');
const env = (extra: Record<string, string> = {}) => goEnv(gocache, extra);
const BUILD_TIMEOUT = 1_800_000;

function build(args: string[], exe: string, extraEnv: Record<string, string> = {}) {
  const r = run(args[0]!, [...args.slice(1), '-o', exe, '.'], { cwd: mod, env: env(extraEnv), timeoutMs: BUILD_TIMEOUT });
  assert.equal(r.code, 0, describeResult(r));
  return r;
}

/** What the orchestrion build wove (its -work tree, child builds' included), for the instrument test. */
let built: Map<string, string> | undefined;

test('plain go build of the example app sends no spans', async () => {
  const exe = path.join(out, 'traced.plain');
  build(['go', 'build'], exe);
  const r = await runWithAgent([exe], { cwd: mod });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '200 OK widget: 42 in stock\n');
  assert.deepEqual(r.spans, []);
  assert.deepEqual(r.requests, [], 'an uninstrumented app never talks to the agent');
});

test('orchestrion go build: the example app sends the span tree of its request to the agent', async () => {
  const exe = path.join(out, 'traced');
  const log = path.join(tempDir('log'), 'log.jsonl');
  // -work: every package is compiled here (the plain build's cache entries have another -V=full),
  // so the tree holds every woven file, for the instrument test below.
  built = wovenInWork(build([BIN, 'go', 'build', '-work'], exe, { ORCHESTRION_LOG_FILE: log }).stderr);
  const r = await runWithAgent([exe], { cwd: mod });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '200 OK widget: 42 in stock\n');
  assertAppTrace(r);

  // What was woven: the runtime (GLS), std packages and the app; dd-trace-go's own packages only
  // by its tracer-internal aspects; go-sqlite3 (cgo) by the database/sql aspects.
  const modified = new Map(logEvents(log).filter((e) => e.event === 'instrument').map((e) => [e.importPath!, (e.modified as string[]).map((f) => path.basename(f))]));
  assert.deepEqual(modified.get('runtime')?.sort(), ['proc.go', 'runtime2.go']);
  assert.ok(modified.get('net/http')?.includes('server.go'), JSON.stringify([...modified]));
  assert.deepEqual(modified.get('example.com/traced/inventory'), ['inventory.go']);
  assert.ok(modified.get('github.com/mattn/go-sqlite3')?.length, 'the cgo package was woven');
  assert.deepEqual(compiledTwice(log), [], 'packages compiled twice');
});

test('orchestrion instrument -deps -o: every file the build wove, child builds and injected packages included, byte for byte (cgo output but for its object directory)', () => {
  assert.ok(built, 'needs the woven files of the orchestrion go build test');
  const out = tempDir('woven');
  const r = run(BIN, ['instrument', '-deps', '-json', '-o', out, '.'], { cwd: mod, env: env(), timeoutMs: BUILD_TIMEOUT });
  assert.equal(r.code, 0, describeResult(r));
  const report = JSON.parse(r.stdout) as JsonReport;
  assertSameAsBuild(report, built, out);
  // Among them: net/http (woven by a child build of the job server, in its own WORK), dd-trace-go's
  // internals (injected: go list -deps does not list them), go-sqlite3's cgo translation.
  const names = report.packages.flatMap((p) => p.files.map((f) => f.name));
  for (const f of ['net/http/server.go', 'runtime/proc.go', 'example.com/traced/inventory/inventory.go', 'github.com/mattn/go-sqlite3/sqlite3.cgo1.go', 'github.com/DataDog/dd-trace-go/v2/internal/orchestrion/orchestrion.go']) {
    assert.ok(names.includes(f), `${f} not among ${names.join(', ')}`);
  }
});

test('a warm rebuild of the example app compiles nothing', () => {
  const log = path.join(tempDir('log'), 'log.jsonl');
  build([BIN, 'go', 'build'], path.join(out, 'traced'), { ORCHESTRION_LOG_FILE: log });
  assert.deepEqual(compiledPackages(log), []);
});

test('orchestrion go test: test packages are woven and pass', () => {
  const r = run(BIN, ['go', 'test', './...'], { cwd: mod, env: env(), timeoutMs: BUILD_TIMEOUT });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, /^ok\s+example\.com\/traced\/inventory/m);
  // The test binary holds the woven //dd:span code.
  const testExe = path.join(out, 'inventory.test');
  const c = run(BIN, ['go', 'test', '-c', '-o', testExe, './inventory'], { cwd: mod, env: env(), timeoutMs: BUILD_TIMEOUT });
  assert.equal(c.code, 0, describeResult(c));
  const nm = run('go', ['tool', 'nm', testExe], { cwd: mod, env: env() });
  assert.match(nm.stdout, /dd-trace-go\/v2\/ddtrace\/tracer\.StartSpanFromContext/);
});
