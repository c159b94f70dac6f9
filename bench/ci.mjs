// Worker-scaled CI (issue 12): two CI workers share one bazel-remote through GOCACHEPROG. Worker 1
// builds cold; worker 2 — another checkout path, another module cache, an empty GOCACHE, an empty
// local cache directory, an empty orchestrion cache — builds the same commit. Measured in one run,
// side by side, with the same GOCACHEPROG (`orchestrion cacheprog` on a fresh bazel-remote per
// tool and run): plain `go build`, Orchestrion (installed from the module proxy) and orchestrion-ts,
// all with -trimpath (without it, cmd/go keys every package by its absolute directory). Medians,
// with every run's figure. Target: worker 2 instrumented ≤ 1.2 × worker 2 plain.
//
// Not run by default: tool `plainpf`, plain `go build` whose cacheprog prefetches as orchestrion go's
// do (the bench keeps the index its worker 1 recorded and hands it to worker 2 as orchestrion go
// would; plain `go build` has no such index: nothing names its build), and `tsnopf`, orchestrion-ts
// with ORCHESTRION_CACHEPROG_PREFETCH=0. Worker-2 builds of the tools alternate.
//
//   node bench/ci.mjs [--runs 3] [--w2-repeat 3] [--orchestrion v1.12.0] [--tools plain,plainpf,orchestrion,ts,tsnopf] [--modcache same|own] [--log-dir DIR] [--trace-dir DIR] [--latency MS]
//
// --modcache same (the default): both workers use the same GOMODCACHE path, as CI runners with the
// same home directory do; own: each has its own, and then plain Go itself compiles go-sqlite3 again
// on worker 2 (cmd/go hashes its `#cgo CFLAGS: -I.` made absolute), which hides the rest.
//
// The app is examples/traced (net/http, database/sql on SQLite with cgo, //dd:span) with
// dd-trace-go's tracer, contrib/net/http and contrib/database/sql; the plain build imports those
// integrations by hand, so that every build fetches the same packages. Module downloads are made
// before the timed builds (CI caches modules on their own).
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { argOf, log, median, must, ours, root } from './common.mjs';
import { BazelRemote } from '../test/bazel-remote.ts';
import { mergeRecords, PREFETCH_FILE, ROLE_ENV, encodeIndex } from '../src/cacheprog/prefetch.ts';

const RUNS = Number(argOf('--runs', '3'));
const ORCH_VERSION = argOf('--orchestrion', 'v1.12.0');
const TOOLS = argOf('--tools', 'plain,orchestrion,ts').split(',');
const OWN_MODCACHE = argOf('--modcache', 'same') === 'own';
// Worker 2 takes seconds where worker 1 takes minutes: repeated (each time with an empty GOCACHE,
// local cache directory and orchestrion cache) so that one noisy second does not decide the ratio.
const W2_REPEAT = Number(argOf('--w2-repeat', '3'));
// Where orchestrion-ts's worker-2 builds write their ORCHESTRION_LOG_FILE (<tool>-w2-<run>-<k>.jsonl), if given.
const LOG_DIR = argOf('--log-dir', '');
// Milliseconds added to every request to the remote (a TCP proxy in front of bazel-remote delays what
// the client sends): a remote cache over a network rather than on this machine. 0: direct.
const LATENCY = Number(argOf('--latency', '0'));
// Where every tool's worker-2 go command writes its -debug-trace (<tool>-w2-<run>-<k>.json), if given.
const TRACE_DIR = argOf('--trace-dir', '');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-ci-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const baseEnv = { ...process.env, GOFLAGS: '', GOTOOLCHAIN: 'local', TMPDIR: path.join(tmp, 'tmpdir') };
// Every tool's temporary files under the benchmark's own directory: Orchestrion v1.12.0 leaves an
// orchestrion.nbt-* directory of ~300 MB per build in TMPDIR; they go with the benchmark's.
fs.mkdirSync(baseEnv.TMPDIR);
for (const k of ['ORCHESTRION_JOBSERVER_URL', 'ORCHESTRION_VERSION_SUFFIX', 'ORCHESTRION_LOG_FILE', 'ORCHESTRION_CACHE_DIR', 'GOCACHEPROG', 'ORCHESTRION_REMOTE_CACHE', 'CI']) delete baseEnv[k];
const fmt = (ms) => (Number.isNaN(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function timed(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} in ${opts.cwd} failed (${code}):\n${stderr.slice(-4000)}`));
      else resolve({ ms, stderr });
    });
  });
}

let orchestrion;
if (TOOLS.includes('orchestrion')) {
  const gobin = path.join(tmp, 'gobin');
  log(`installing github.com/DataDog/orchestrion@${ORCH_VERSION}`);
  must('go', ['install', `github.com/DataDog/orchestrion@${ORCH_VERSION}`], { env: { ...baseEnv, GOBIN: gobin } });
  orchestrion = path.join(gobin, 'orchestrion');
}

const [machineModCache, upstreamProxy] = must('go', ['env', 'GOMODCACHE', 'GOPROXY'], { env: baseEnv }).trim().split('\n');
const integrations = ['github.com/DataDog/dd-trace-go/v2/ddtrace/tracer', 'github.com/DataDog/dd-trace-go/contrib/net/http/v2', 'github.com/DataDog/dd-trace-go/contrib/database/sql/v2'];

/** A worker's checkout of the app at its own path, with its own module cache (downloaded untimed). */
function checkout(dir, tool, modcache) {
  fs.cpSync(path.join(root, 'examples', 'traced'), dir, { recursive: true });
  if (tool.startsWith('plain')) fs.writeFileSync(path.join(dir, 'manual_imports.go'), `package main\n\nimport (\n${integrations.map((p) => `\t_ "${p}"\n`).join('')})\n`);
  const env = { ...baseEnv, GOMODCACHE: modcache, GOFLAGS: '-modcacherw', GOPROXY: `file://${machineModCache}/cache/download,${upstreamProxy}` };
  must('go', ['mod', 'download'], { cwd: dir, env });
  return env;
}

const command = (tool) => (tool.startsWith('plain') ? ['go', []] : tool === 'orchestrion' ? [orchestrion, ['go']] : [ours, ['go']]);
const figures = Object.fromEntries(TOOLS.map((t) => [t, { w1: [], w2: [], compiles2: [] }]));

let plainIndex = Buffer.alloc(0);

/** A proxy to 127.0.0.1:`port` that delays each chunk the client sends by LATENCY ms (order kept). */
function delayingProxy(port) {
  return new Promise((resolve) => {
    const srv = net.createServer((client) => {
      const upstream = net.connect(port, '127.0.0.1');
      const kill = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', kill);
      upstream.on('error', kill);
      client.on('data', (d) => setTimeout(() => upstream.write(d), LATENCY));
      client.on('end', () => setTimeout(() => upstream.end(), LATENCY));
      upstream.pipe(client);
    });
    srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, close: () => srv.close() }));
  });
}

/** One build of `tool` as worker `w` (its k-th), with empty local caches: the time, and compiles counted. */
async function workerBuild(run, tool, w, k, t) {
  const { base } = t;
  const dir = path.join(base, w, w === 'w1' ? 'src' : 'checkouts/elsewhere', 'traced');
  t.env[w] ??= checkout(dir, tool, OWN_MODCACHE ? path.join(base, w, 'mod') : path.join(base, 'mod'));
  const env = t.env[w];
  // go skips the link when the output exists with the build ID it would give: not a fresh worker.
  fs.rmSync(path.join(base, w, 'out.bin'), { force: true });
  for (const d of ['gocache', 'cacheprog', 'orchestrion']) {
    fs.rmSync(path.join(base, w, d), { recursive: true, force: true });
    fs.mkdirSync(path.join(base, w, d), { recursive: true });
  }
  Object.assign(env, {
    GOCACHE: path.join(base, w, 'gocache'),
    GOCACHEPROG: `${ours} cacheprog -dir ${path.join(base, w, 'cacheprog')} -remote ${t.url}`,
    ORCHESTRION_CACHE_DIR: path.join(base, w, 'orchestrion'),
    // A server per build, as on a CI runner (CI set; unset here so that the builds stay quiet).
    ORCHESTRION_SERVER: 'per-build',
  });
  if (tool === 'tsnopf') env.ORCHESTRION_CACHEPROG_PREFETCH = '0';
  if (LOG_DIR && tool.startsWith('ts') && w === 'w2') {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    env.ORCHESTRION_LOG_FILE = path.join(path.resolve(LOG_DIR), `${tool}-w2-${run}-${k}.jsonl`);
  }
  // plainpf: the stats directory and role orchestrion go gives its go command.
  let stats;
  if (tool === 'plainpf') {
    stats = path.join(base, w, `stats-${k}`);
    fs.mkdirSync(stats, { recursive: true });
    fs.writeFileSync(path.join(stats, PREFETCH_FILE), w === 'w2' ? plainIndex : '');
    Object.assign(env, { ORCHESTRION_CACHEPROG_STATS: stats, [ROLE_ENV]: 'main' });
  }
  const [cmd, pre] = command(tool);
  log(`run ${run + 1}/${RUNS} ${tool} ${w}${w === 'w2' ? ` (${k + 1}/${W2_REPEAT})` : ''}`);
  const trace = [];
  if (TRACE_DIR && w === 'w2') {
    fs.mkdirSync(TRACE_DIR, { recursive: true });
    trace.push(`-debug-trace=${path.join(path.resolve(TRACE_DIR), `${tool}-w2-${run}-${k}.json`)}`);
  }
  const r = await timed(cmd, [...pre, 'build', '-trimpath', '-x', ...trace, '-o', path.join(base, w, 'out.bin'), '.'], { cwd: dir, env });
  figures[tool][w].push(r.ms);
  if (tool === 'plainpf' && w === 'w1') plainIndex = encodeIndex(mergeRecords(stats));
  if (w === 'w2') figures[tool].compiles2.push(r.stderr.split('\n').filter((l) => /\/compile(\.exe)?\s.*\s-p\s/.test(l)).length);
}

for (let run = 0; run < RUNS; run++) {
  // Rotated, so that no tool always runs first (file system caches, thermal state).
  const order = TOOLS.map((_, i) => TOOLS[(i + run) % TOOLS.length]);
  const tools = {};
  try {
    // Worker 1 of every tool (each its own bazel-remote, kept), then the worker-2 builds of the tools
    // in turn: the machine's speed drifts over minutes here, and alternating keeps that out of the ratio.
    for (const tool of order) {
      const base = path.join(tmp, `r${run}-${tool}`);
      const remote = await BazelRemote.start(path.join(base, 'bazel-remote'));
      const proxy = LATENCY > 0 ? await delayingProxy(remote.port) : undefined;
      tools[tool] = { base, remote, proxy, url: proxy?.url ?? remote.url, env: {} };
      await workerBuild(run, tool, 'w1', 0, tools[tool]);
    }
    for (let k = 0; k < W2_REPEAT; k++) {
      for (const tool of order.map((_, i) => order[(i + k) % order.length])) await workerBuild(run, tool, 'w2', k, tools[tool]);
    }
  } finally {
    for (const t of Object.values(tools)) {
      t.proxy?.close();
      await t.remote.kill();
      fs.rmSync(t.base, { recursive: true, force: true });
    }
  }
}

const out = [];
const p = (s = '') => out.push(s);
const all = (xs) => xs.map(fmt).join(', ');
p(`runs: ${RUNS}, worker 2 ${W2_REPEAT}× each (the tools in turn);${LATENCY > 0 ? ` ${LATENCY} ms added to every request to the remote;` : ''} GOMODCACHE: ${OWN_MODCACHE ? 'one per worker' : 'the same path on both workers'}; app: examples/traced (dd-trace-go tracer, contrib/net/http, contrib/database/sql; SQLite via cgo); -trimpath; GOCACHEPROG = orchestrion cacheprog + bazel-remote on 127.0.0.1`);
p(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${must('go', ['version'], { env: baseEnv }).trim()}`);
p();
p('| | worker 1 (cold) | worker 2 (shared cache) | compiles on worker 2 |');
p('|---|---|---|---|');
const names = { plain: 'plain `go build`', plainpf: 'plain `go build`, prefetching', tsnopf: 'orchestrion-ts, no prefetch index', orchestrion: `Orchestrion ${ORCH_VERSION}`, ts: 'orchestrion-ts' };
for (const t of TOOLS) {
  const f = figures[t];
  p(`| ${names[t]} | ${fmt(median(f.w1))} (${all(f.w1)}) | ${fmt(median(f.w2))} (${all(f.w2)}) | ${f.compiles2.join(', ')} |`);
}
if (figures.ts && figures.plain) {
  const r = median(figures.ts.w2) / median(figures.plain.w2);
  p();
  p(`target: worker 2 orchestrion-ts ≤ 1.2 × worker 2 plain: ${r.toFixed(2)}× ${r <= 1.2 ? '(met)' : '(missed)'}`);
}
if (figures.ts && figures.plainpf) {
  p(`worker 2 orchestrion-ts ÷ worker 2 plain with a prefetch index: ${(median(figures.ts.w2) / median(figures.plainpf.w2)).toFixed(2)}×`);
}
console.log(out.join('\n'));
