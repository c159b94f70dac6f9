// Interrupted builds leave nothing behind: a real cold `orchestrion go build`, signalled at several
// points (SIGINT to the process group as a terminal's Ctrl-C sends it, SIGTERM/SIGHUP to the wrapper
// alone, SIGKILL), must leave no process and no job-server directory, and the build cache must stay
// good: a rebuild succeeds and gives the binary a build from an empty cache gives.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, logEvents, run, tempDir, tempModule } from './helpers.ts';

const logs = tempDir('logs');
let logCount = 0;
/** A fresh ORCHESTRION_LOG_FILE path. */
const newLog = () => path.join(logs, `${++logCount}.jsonl`);
const mod = tempModule('test/fixtures/traced');
// Every interrupted build must find packages left to compile: two caches, two interruptions each
// (15 compiles apiece of the ~60 packages), both rebuilt at the end.
const caches = tempDir('gocache');
const cacheA = path.join(caches, 'a');
const cacheB = path.join(caches, 'b');
// The runtime directory's base, seen by this file's builds only: what is left in it is theirs.
const xdg = tempDir('xdg');
const runtime = path.join(xdg, `orchestrion-ts-${process.getuid!()}`);
const out = tempDir('out');
// go leaves its $WORK behind when it dies by a signal (plain `go build` does too): here, not in /tmp.
const goTmp = tempDir('gotmp');
const EXPECTED = 'ADVICE-V1 work\nADVICE-V1 Double\nresult 42 8\nplain ran\n';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes started by this file's builds (they all inherit its XDG_RUNTIME_DIR), as `pid cmdline`. */
function ourProcesses(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`XDG_RUNTIME_DIR=${xdg}\0`)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // exited, not yet reaped
      found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Waits (a few seconds at most) for every process of this file's builds to end; asserts none is left. */
async function assertNoProcessLeft(): Promise<void> {
  const deadline = Date.now() + 10_000;
  let left = ourProcesses();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = ourProcesses();
  }
  assert.deepEqual(left, [], 'processes of the interrupted build are still running');
}

/** Entries of ours in the runtime directory (job-server directories, daemon locks and logs). */
function leftovers(): string[] {
  if (!fs.existsSync(runtime)) return [];
  return fs.readdirSync(runtime).filter((n) => n.startsWith('go-'));
}

interface Interruption {
  /** When to send the signal: looks at the build's log events so far. */
  when: (events: ReturnType<typeof logEvents>) => boolean;
  signal: NodeJS.Signals;
  /** The whole process group (as a terminal sends Ctrl-C), or the wrapper (or go) alone. */
  to: 'group' | 'leader';
  /** A plain `go build -toolexec` (daemon mode) instead of `orchestrion go build`. */
  daemon?: boolean;
  gocache: string;
}

/** Starts a build in its own process group, signals it when `i.when` says, and waits for it to end. */
async function interruptedBuild(i: Interruption): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; events: ReturnType<typeof logEvents> }> {
  const log = newLog();
  const exe = path.join(out, 'interrupted');
  const [cmd, args] = i.daemon ? ['go', ['build', '-toolexec', `${BIN} toolexec`, '-o', exe, '.']] : [BIN, ['go', 'build', '-o', exe, '.']];
  const child = spawn(cmd as string, args as string[], {
    cwd: mod,
    env: goEnv(i.gocache, { XDG_RUNTIME_DIR: xdg, ORCHESTRION_LOG_FILE: log, GOTMPDIR: goTmp }),
    detached: true, // its own process group, which a terminal would signal as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 90_000;
  while (!i.when(logEvents(log))) {
    assert.ok(!done, `the build ended before it could be interrupted:\n${output}`);
    assert.ok(Date.now() < deadline, `the moment to interrupt never came:\n${output}`);
    await sleep(25);
  }
  process.kill(i.to === 'group' ? -child.pid! : child.pid!, i.signal);
  const [code, signal] = await exited;
  return { code, signal, output, events: logEvents(log) };
}

const jobDirAppeared = () => leftovers().some((n) => /^go-\w+$/.test(n));
/** Compiles bin/orchestrion ran directly so far (the compile gate's record, in the job directories). */
function ungated(): number {
  let n = 0;
  for (const d of leftovers()) {
    try {
      n += fs.readFileSync(path.join(runtime, d, 'gate', 'ungated'), 'utf8').split('\n').filter((l) => l !== '').length;
    } catch {
      // No gate (a daemon), or not yet.
    }
  }
  return n;
}
/** Compiles started: through the job server (build.start) or run directly under the compile gate. */
const compiles = (n: number) => (events: ReturnType<typeof logEvents>) => events.filter((e) => e.event === 'build.start').length + ungated() >= n;

test('SIGINT to the process group as soon as the job server exists: the wrapper cleans up and dies by SIGINT', async () => {
  const r = await interruptedBuild({ when: jobDirAppeared, signal: 'SIGINT', to: 'group', gocache: path.join(caches, 'first') });
  assert.equal(r.signal, 'SIGINT', `exit ${r.code}\n${r.output}`);
  await assertNoProcessLeft();
  assert.deepEqual(leftovers(), []);
});

test('SIGINT to the process group in the middle of the compiles', async () => {
  const r = await interruptedBuild({ when: compiles(5), signal: 'SIGINT', to: 'group', gocache: cacheA });
  assert.equal(r.signal, 'SIGINT', `exit ${r.code}\n${r.output}`);
  assert.ok(r.events.some((e) => e.event === 'wrapper.signal' && e.goRunning === true), 'go was not running when the signal came');
  await assertNoProcessLeft();
  assert.deepEqual(leftovers(), []);
});

test('SIGTERM and SIGHUP to the wrapper alone are passed on to go; the wrapper dies by the same signal', async () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    const r = await interruptedBuild({ when: compiles(15), signal, to: 'leader', gocache: signal === 'SIGTERM' ? cacheA : cacheB });
    assert.equal(r.signal, signal, `exit ${r.code}\n${r.output}`);
    await assertNoProcessLeft();
    assert.deepEqual(leftovers(), [], `after ${signal}`);
  }
});

test('a daemon (plain go build -toolexec) ends with its interrupted go command and leaves nothing', async () => {
  const r = await interruptedBuild({ when: compiles(15), signal: 'SIGINT', to: 'group', daemon: true, gocache: path.join(caches, 'daemon') });
  assert.equal(r.signal, 'SIGINT', `exit ${r.code}\n${r.output}`);
  await assertNoProcessLeft();
  // The daemon notices within a poll interval that go is gone, then removes its directory.
  const deadline = Date.now() + 5000;
  while (leftovers().length > 0 && Date.now() < deadline) await sleep(50);
  assert.deepEqual(leftovers(), []);
});

test('a toolexec call orphaned by an interrupted go command fails at once and starts no daemon', async (t) => {
  // go forks a call just after the terminal signalled the group: the call misses the signal and is
  // reparented. A daemon for its new parent (init) would never see that parent end.
  const dir = tempDir('orphan');
  const compile = run('go', ['env', 'GOTOOLDIR'], { cwd: mod }).stdout.trim() + '/compile';
  // The call's parent at its start, then the call itself in place of the shell.
  fs.writeFileSync(path.join(dir, 'call.sh'), `echo $PPID >ppid; exec '${BIN}' toolexec '${compile}' -V=full >out 2>err\n`);
  const sh = spawn('sh', ['-c', '( sleep 0.3; exec sh call.sh ) &'], { cwd: dir, env: goEnv(path.join(caches, 'orphan'), { XDG_RUNTIME_DIR: xdg }), stdio: 'ignore' });
  await new Promise((resolve) => sh.once('exit', resolve));
  const deadline = Date.now() + 20_000;
  while (!fs.existsSync(path.join(dir, 'err')) || ourProcesses().length > 0) {
    assert.ok(Date.now() < deadline, `the orphaned call still runs: ${JSON.stringify(ourProcesses())}`);
    await sleep(50);
  }
  const parent = fs.readFileSync(path.join(dir, 'ppid'), 'utf8').trim();
  if (parent !== '1') {
    t.skip(`orphans are reparented to a subreaper here (pid ${parent}), not to init`);
    return;
  }
  assert.match(fs.readFileSync(path.join(dir, 'err'), 'utf8'), /the go command that ran this tool has exited/);
  assert.equal(fs.readFileSync(path.join(dir, 'out'), 'utf8'), '');
  await assertNoProcessLeft();
  assert.deepEqual(leftovers(), []);
});

/** A directory named as job servers name theirs, with an owner record for `owner` if given. */
function fakeJobDir(name: string, owner?: { pid: number; start: string | undefined }): string {
  const dir = path.join(runtime, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'server.sock'), '');
  if (owner) fs.writeFileSync(path.join(dir, 'owner'), JSON.stringify({ ...owner, ns: fs.readlinkSync('/proc/self/ns/pid') }));
  return dir;
}

function startTime(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

test('SIGKILL of the wrapper: the next build removes its directory; the caches interrupted builds wrote to give the binary an empty cache gives', async () => {
  const r = await interruptedBuild({ when: compiles(15), signal: 'SIGKILL', to: 'leader', gocache: cacheB });
  assert.equal(r.signal, 'SIGKILL');
  // go, orphaned, fails its remaining compiles (the server is gone) and exits.
  await assertNoProcessLeft();
  const killed = leftovers();
  assert.equal(killed.length, 1, `expected the killed build's directory, found ${JSON.stringify(killed)}`);
  // Next to it: a directory whose owner runs (this test), one whose owner pid was reused by a
  // process started later (this test's pid with another start time), one with no owner record
  // that is being created right now, and one that is not ours by name.
  const live = fakeJobDir('go-live01', { pid: process.pid, start: startTime(process.pid) });
  const reused = fakeJobDir('go-reuse1', { pid: process.pid, start: String(Number(startTime(process.pid)) - 1) });
  const fresh = fakeJobDir('go-fresh1');
  const foreign = path.join(runtime, 'not-ours');
  fs.mkdirSync(foreign);
  // Two without a record and older than the minute of grace (as an earlier version left them):
  // one a server still listens in (a build of that version running), one no one listens in.
  const listening = fakeJobDir('go-oldver1');
  fs.rmSync(path.join(listening, 'server.sock'));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(listening, 'server.sock'), resolve));
  const abandoned = fakeJobDir('go-oldver2');
  const past = new Date(Date.now() - 5 * 60_000);
  for (const d of [listening, abandoned]) fs.utimesSync(d, past, past);

  const log = newLog();
  const b = build(cacheB, 'rebuilt-b', log);
  const swept = logEvents(log).filter((e) => e.event === 'runtime-dir.sweep').flatMap((e) => e.removed as string[]);
  server.close();
  assert.deepEqual(swept.map((p) => path.basename(p)).sort(), [...killed, 'go-oldver2', 'go-reuse1'].sort());
  assert.deepEqual(leftovers().sort(), ['go-fresh1', 'go-live01', 'go-oldver1']);
  assert.ok(fs.existsSync(live) && fs.existsSync(fresh) && fs.existsSync(foreign) && !fs.existsSync(reused) && !fs.existsSync(abandoned));
  for (const d of [live, fresh, foreign, listening]) fs.rmSync(d, { recursive: true });

  // Both caches the interrupted builds wrote to give the binary an empty cache gives.
  const a = build(cacheA, 'rebuilt-a');
  const clean = build(path.join(caches, 'empty'), 'clean');
  assert.equal(run(clean, [], { cwd: mod }).stdout, EXPECTED);
  for (const exe of [b, a]) {
    const ran = run(exe, [], { cwd: mod });
    assert.equal(ran.stdout, EXPECTED, describeResult(ran));
    const [x, y] = [withoutBuildID(exe), withoutBuildID(clean)];
    const differing = x.length === y.length ? x.reduce((n, byte, k) => n + (byte === y[k] ? 0 : 1), 0) : -1;
    assert.equal(differing, 0, `${path.basename(exe)} differs from a build from an empty GOCACHE (${differing} bytes; build IDs ${buildID(exe)} and ${buildID(clean)})`);
  }
  assert.deepEqual(leftovers(), []);
});

/**
 * The binary with its Go build ID blanked: the ID hashes the tool's own build ID too (through the
 * `-V=full` suffix), which changes whenever dist/ is rebuilt, as it may be while this file runs.
 */
function withoutBuildID(exe: string): Buffer {
  const id = buildID(exe);
  assert.ok(id.length > 0, `no build ID in ${exe}`);
  const bytes = Buffer.from(fs.readFileSync(exe));
  const needle = Buffer.from(id);
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) bytes.fill(0, at, at + needle.length);
  return bytes;
}

function buildID(exe: string): string {
  return run('go', ['tool', 'buildid', exe], { cwd: mod }).stdout.trim();
}

/** `orchestrion go build` to `out/<name>`, asserted to succeed; the binary's path. */
function build(gocache: string, name: string, log?: string): string {
  const exe = path.join(out, name);
  const b = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: mod, env: goEnv(gocache, { XDG_RUNTIME_DIR: xdg, ...(log ? { ORCHESTRION_LOG_FILE: log } : {}) }) });
  assert.equal(b.code, 0, describeResult(b));
  return exe;
}
