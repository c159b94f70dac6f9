// Benchmarks, measured side by side in one run (medians; ratios from the same run):
//   1. per-call overhead of the toolexec entry for a pass-through tool vs running the tool directly;
//   2. cold and warm builds of the test fixture: `orchestrion go build` vs plain `go build`;
//   3. time per golden case (test/golden, and ../shared/conformance/injector when present);
//   4. injector throughput: every function body of net/http instrumented by prepend-statements;
//   5. injected packages: cold build of test/fixtures/inject (packages injected from a runtime module)
//      against a plain build of the same app importing those packages by hand (the physical limit).
//   6. the example app with dd-trace-go v2's integrations, cold and warm, against a plain build of
//      the same app importing the same dd-trace-go packages by hand.
// Usage: node bench/run.mjs [--runs N] [--calls N] [--only builds,golden,throughput,inject,ddtrace]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'orchestrion');
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('--runs', 3);
const onlyIdx = process.argv.indexOf('--only');
const ONLY = onlyIdx >= 0 ? new Set(process.argv[onlyIdx + 1].split(',')) : undefined;
const want = (section) => !ONLY || ONLY.has(section);
const CALLS = arg('--calls', 30);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function timed(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
const goversion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const asm = path.join(goroot, 'pkg', 'tool', `${process.platform === 'darwin' ? 'darwin' : 'linux'}_${os.arch() === 'x64' ? 'amd64' : os.arch()}`, 'asm');

const rows = [];
const row = (what, plain, ours) => rows.push({ what, plain, ours, ratio: ours / plain, overhead: ours - plain });

// 1. pass-through per-call overhead (alternating, so drift hits both equally)
if (want('builds')) {
  const direct = [];
  const through = [];
  for (let i = 0; i < CALLS; i++) {
    direct.push(timed(asm, ['-V=full']));
    through.push(timed(bin, ['toolexec', asm, '-V=full']));
  }
  row('pass-through call (asm -V=full)', median(direct), median(through));
}

// 2. builds of the fixture
const fixture = path.join(root, 'test', 'fixtures', 'traced');
const env = (cache) => ({ ...process.env, GOCACHE: cache, GOFLAGS: '', GOTOOLCHAIN: 'local', ORCHESTRION_LOG_FILE: '' });
const cold = { plain: [], ours: [] };
const warm = { plain: [], ours: [] };
for (let i = 0; want('builds') && i < RUNS; i++) {
  for (const kind of i % 2 ? ['ours', 'plain'] : ['plain', 'ours']) {
    const mod = path.join(tmp, `${kind}-${i}`);
    fs.cpSync(fixture, mod, { recursive: true });
    const cache = path.join(tmp, `cache-${kind}-${i}`);
    const out = path.join(mod, 'out.bin');
    const build = () =>
      kind === 'plain'
        ? timed('go', ['build', '-o', out, '.'], { cwd: mod, env: env(cache) })
        : timed(bin, ['go', 'build', '-o', out, '.'], { cwd: mod, env: env(cache) });
    cold[kind].push(build());
    warm[kind].push(build());
  }
}
if (want('builds')) {
  row('cold build, fresh GOCACHE (fixture)', median(cold.plain), median(cold.ours));
  row('warm no-op rebuild (fixture)', median(warm.plain), median(warm.ours));
}

// 3. golden cases: the runner prints each case's time (temporary module, go mod tidy, go list -export, injection)
const extra = [];
if (want('golden')) {
  for (const dir of [path.join(root, 'test', 'golden'), path.resolve(root, '..', 'shared', 'conformance', 'injector')]) {
    if (!fs.existsSync(dir)) continue;
    const r = spawnSync(bin, ['golden', '-j', '1', dir], { encoding: 'utf8' });
    const times = [...r.stdout.matchAll(/^(?:ok {2}|FAIL) \S+ \((\d+) ms\)$/gm)].map((m) => Number(m[1]));
    const sum = /^(\d+) passed, (\d+) failed$/m.exec(r.stdout);
    extra.push(`golden ${path.relative(root, dir)}: ${times.length} cases, median ${median(times)} ms, max ${Math.max(...times)} ms per case (${sum?.[0] ?? 'no summary'})`);
  }
}

// 4. injector throughput on a large real package
if (want('throughput')) {
  const { InjectorPool } = await import('../dist/pool/pool.js');
  const { ensureWasm, pathToolchain } = await import('../dist/wasm/module.js');
  const list = JSON.parse(spawnSync('go', ['list', '-json', 'net/http'], { encoding: 'utf8' }).stdout);
  const files = list.GoFiles.map((f) => path.join(list.Dir, f));
  const importcfg = path.join(tmp, 'importcfg.nethttp');
  const fmt = '{{if .Export}}packagefile {{.ImportPath}}={{.Export}}\n{{end}}{{range $k, $v := .ImportMap}}importmap {{$k}}={{$v}}\n{{end}}';
  fs.writeFileSync(importcfg, spawnSync('go', ['list', '-export', '-deps', '-f', fmt, 'net/http'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
  const aspects = [true, false].map((recv) => ({
    id: recv ? 'methods' : 'functions',
    'join-point': { 'function-body': { function: [{ receiver: recv }] } },
    advice: [{ 'prepend-statements': { template: 'println({{ printf "%q" .Function.Name }})' } }],
  }));
  const { memoryPlan } = await import('../dist/pool/budget.js');
  const pool = new InjectorPool(await ensureWasm(await pathToolchain(root)), memoryPlan({ ...process.env, ORCHESTRION_WORKERS: '1' }));
  const req = { importPath: 'net/http', goVersion: '', goos: 'linux', goarch: 'amd64', files, importcfg, aspects };
  const times = [];
  let modified = 0;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const res = await pool.instrument(req);
    times.push(performance.now() - t0);
    if ((res.errors ?? []).length) throw new Error(JSON.stringify(res.errors[0]));
    modified = (res.files ?? []).length;
  }
  await pool.close();
  const warmMs = median(times.slice(1));
  extra.push(`injector throughput, net/http (${files.length} files, ${modified} modified, every function body): first call ${times[0].toFixed(0)} ms, warm median ${warmMs.toFixed(0)} ms = ${(files.length / (warmMs / 1000)).toFixed(0)} files/s`);
}

// 5. injected packages
if (want('inject')) {
  const times = { plain: [], ours: [] };
  const compiles = { plain: 0, ours: 0 };
  for (let i = 0; i < RUNS; i++) {
    for (const kind of i % 2 ? ['ours', 'plain'] : ['plain', 'ours']) {
      const dir = path.join(tmp, `inject-${kind}-${i}`);
      fs.cpSync(path.join(root, 'test', 'fixtures', 'inject'), dir, { recursive: true });
      const app = path.join(dir, 'app');
      const cache = path.join(tmp, `cache-inject-${kind}-${i}`);
      const log = path.join(tmp, `inject-${kind}-${i}.log`);
      if (kind === 'plain') {
        // The same packages, imported by hand: what a build that needs no injection compiles.
        const main = path.join(app, 'main.go');
        fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('import (', 'import (\n\t_ "example.com/runtime/linked"\n\t_ "example.com/runtime/rt"'));
        const t0 = process.hrtime.bigint();
        const r = spawnSync('go', ['build', '-x', '-o', path.join(dir, 'out'), '.'], { cwd: app, env: env(cache), encoding: 'utf8' });
        times.plain.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.status !== 0) throw new Error(r.stderr);
        compiles.plain = (r.stderr.match(/\/compile -o /g) ?? []).length;
      } else {
        times.ours.push(timed(bin, ['go', 'build', '-o', path.join(dir, 'out'), '.'], { cwd: app, env: { ...env(cache), ORCHESTRION_LOG_FILE: log } }));
        compiles.ours = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"event":"build.start"') && !l.includes('"reuse":true')).length;
      }
    }
  }
  row('cold build with injected packages (inject fixture)', median(times.plain), median(times.ours));
  extra.push(`compile invocations, inject fixture: plain ${compiles.plain}, orchestrion-ts ${compiles.ours} (child builds included: each package compiled once)`);
}

// 6. the example app with dd-trace-go's integrations (examples/traced): `orchestrion go build`
//    against plain `go build` of the same app with the same dd-trace-go packages imported by hand.
if (want('ddtrace')) {
  const times = { plain: { cold: [], warm: [] }, ours: { cold: [], warm: [] } };
  const app = path.join(root, 'examples', 'traced');
  const integrations = [...fs.readFileSync(path.join(app, 'orchestrion.tool.go'), 'utf8').matchAll(/_ "([^"]+)"/g)]
    .map((m) => m[1])
    .filter((p) => p !== 'github.com/DataDog/orchestrion');
  for (let i = 0; i < RUNS; i++) {
    for (const kind of i % 2 ? ['ours', 'plain'] : ['plain', 'ours']) {
      const dir = path.join(tmp, `ddtrace-${kind}-${i}`);
      fs.cpSync(app, dir, { recursive: true });
      const cache = path.join(tmp, `cache-ddtrace-${kind}-${i}`);
      const out = path.join(dir, 'out');
      if (kind === 'plain') fs.writeFileSync(path.join(dir, 'manual_imports.go'), `package main\n\nimport (\n${integrations.map((p) => `\t_ "${p}"\n`).join('')})\n`);
      const build = () => (kind === 'plain' ? timed('go', ['build', '-o', out, '.'], { cwd: dir, env: env(cache) }) : timed(bin, ['go', 'build', '-o', out, '.'], { cwd: dir, env: env(cache) }));
      times[kind].cold.push(build());
      times[kind].warm.push(build());
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }
  row('cold build, example app + dd-trace-go (plain: integrations imported by hand)', median(times.plain.cold), median(times.ours.cold));
  row('warm no-op rebuild, example app + dd-trace-go', median(times.plain.warm), median(times.ours.warm));
}

const f = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${goversion}; node ${process.version}`);
console.log(`runs: builds ${RUNS} each (median), calls ${CALLS} each (median)\n`);
console.log('| measure | plain | orchestrion-ts | ratio | overhead |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${f(r.plain)} | ${f(r.ours)} | ${r.ratio.toFixed(2)}× | +${f(r.overhead)} |`);
if (extra.length) console.log('');
for (const line of extra) console.log(`- ${line}`);
