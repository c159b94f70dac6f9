// The persistent job server (`orchestrion server`, ORCHESTRION_SERVER=persistent): builds of one
// module reuse one server process, what it keeps is never stale (a local injected package, the
// configuration and go.mod edited between builds), concurrent builds share it, and it goes away
// when idle or when its module does. Also Orchestrion's `orchestrion server -url-file` form.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, describeResult, goEnv, logEvents, run, tempDir, tempModule, type Result } from './helpers.ts';

const INSTRUMENTED = 'linked calls: 1\nrt: enter [Hello] f7d18982\nhello gopher\n';
const gocache = tempDir('gocache-persistent');

function fixture() {
  const root = tempModule('test/fixtures/inject');
  return { root, app: path.join(root, 'app'), runtime: path.join(root, 'runtime') };
}

/** The persistent server processes serving `root` (their command line names it). */
function serversOf(root: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('persistent-main.js') && cmd.includes(JSON.stringify(root).slice(1, -1))) out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function runAsync(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

test('orchestrion go: later builds reuse the module\'s persistent server, and nothing it keeps is stale', async (t) => {
  const { app, runtime } = fixture();
  const serverLog = path.join(tempDir('log'), 'server.jsonl');
  const env = goEnv(gocache, { ORCHESTRION_SERVER: 'persistent', ORCHESTRION_SERVER_TIMEOUT: '2m', ORCHESTRION_SERVER_LOG_FILE: serverLog });
  t.after(() => {
    for (const pid of serversOf(app)) process.kill(pid, 'SIGTERM');
  });
  const exe = path.join(tempDir('out'), 'app');
  const build = (): string => {
    const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(r.stderr, '', 'a build through the persistent server is as quiet as go build');
    return run(exe, [], { cwd: app }).stdout;
  };
  const events = (name: string) => logEvents(serverLog).filter((e) => e.event === name);

  assert.equal(build(), INSTRUMENTED);
  const [pid] = serversOf(app);
  assert.ok(pid, 'the first build started a persistent server');
  assert.equal(events('config.load').length, 1);

  // An edit of the app: same server, configuration and resolutions reused, no child build.
  fs.appendFileSync(path.join(app, 'main.go'), '\n// edited\n');
  const childBuilds = events('resolve.finish').length;
  assert.equal(build(), INSTRUMENTED);
  assert.deepEqual(serversOf(app), [pid]);
  assert.equal(events('config.load').length, 1, 'the configuration was not loaded again');
  assert.ok(events('config.reuse').length >= 1);
  assert.ok(events('resolve.reuse').length >= 1, 'the injected packages were not resolved again');
  assert.equal(events('resolve.finish').length, childBuilds, 'no child build');

  // A dependency of an injected package, in a local module (replace): the next build links the new one.
  fs.writeFileSync(path.join(runtime, 'fmtx', 'fmtx.go'), 'package fmtx\n\n// Tag brackets a name.\nfunc Tag(s string) string { return "<" + s + ">" }\n');
  assert.equal(build(), INSTRUMENTED.replace('[Hello]', '<Hello>'));
  assert.equal(events('config.load').length, 2, 'a new suffix: the configuration is loaded again');

  // The configuration: an aspect's template.
  const yml = path.join(runtime, 'integration', 'orchestrion.yml');
  fs.writeFileSync(yml, fs.readFileSync(yml, 'utf8').replace('fmt.Println("linked calls:", __linkedCalls())', 'fmt.Println("calls linked:", __linkedCalls())'));
  assert.equal(build(), INSTRUMENTED.replace('[Hello]', '<Hello>').replace('linked calls:', 'calls linked:'));

  // go.mod: the module's go version, which is its packages' -lang.
  const gomod = path.join(app, 'go.mod');
  fs.writeFileSync(gomod, fs.readFileSync(gomod, 'utf8').replace('go 1.23', 'go 1.24'));
  const loads = events('config.load').length;
  assert.equal(build(), INSTRUMENTED.replace('[Hello]', '<Hello>').replace('linked calls:', 'calls linked:'));
  assert.equal(events('config.load').length, loads + 1, 'go.mod changed: the configuration is loaded again');
  assert.deepEqual(serversOf(app), [pid], 'one server for all of it');

  // Two builds at once share it, each with its own session.
  const [a, b] = await Promise.all([
    runAsync(BIN, ['go', 'build', '-o', `${exe}-a`, '.'], { cwd: app, env }),
    runAsync(BIN, ['go', 'build', '-a', '-o', `${exe}-b`, '.'], { cwd: app, env }),
  ]);
  assert.equal(a.code, 0, describeResult(a));
  assert.equal(b.code, 0, describeResult(b));
  assert.equal(run(`${exe}-a`, [], { cwd: app }).stdout, run(`${exe}-b`, [], { cwd: app }).stdout);
  assert.deepEqual(serversOf(app), [pid]);

  // orchestrion instrument opens a session too, on the same configuration.
  const sessions = events('session.open').length;
  const loadsBefore = events('config.load').length;
  const inst = run(BIN, ['instrument', './greet'], { cwd: app, env });
  assert.equal(inst.code, 0, describeResult(inst));
  assert.match(inst.stdout, /rt\.Enter\("Hello"\)/);
  assert.equal(events('session.open').length, sessions + 1);
  assert.equal(events('config.load').length, loadsBefore, 'instrument used the configuration the builds loaded');
  assert.deepEqual(serversOf(app), [pid]);

  // The module goes away: so does its server, and its directory.
  const dir = events('persistent.listen')[0]!.url as string;
  fs.rmSync(path.dirname(app), { recursive: true, force: true });
  await until('the server to exit', () => serversOf(app).length === 0);
  assert.equal(fs.existsSync(dir.slice('unix:'.length)), false);
});

test('plain go build -toolexec: its calls get a session of the module\'s persistent server, which ends with the go process; later builds, plain or not, reuse the server and its configuration', async (t) => {
  const { app } = fixture();
  const serverLog = path.join(tempDir('log'), 'server.jsonl');
  const xdg = tempDir('xdg');
  const env = goEnv(gocache, { ORCHESTRION_SERVER: 'persistent', ORCHESTRION_SERVER_TIMEOUT: '2m', ORCHESTRION_SERVER_LOG_FILE: serverLog, XDG_RUNTIME_DIR: xdg, XDG_CACHE_HOME: tempDir('cache') });
  t.after(() => {
    for (const pid of serversOf(app)) process.kill(pid, 'SIGTERM');
  });
  const runtime = path.join(xdg, `orchestrion-ts-${process.getuid!()}`);
  const goDirs = () => (fs.existsSync(runtime) ? fs.readdirSync(runtime).filter((n) => n.startsWith('go-')) : []);
  const events = (name: string) => logEvents(serverLog).filter((e) => e.event === name);
  const exe = path.join(tempDir('out'), 'app');
  const plain = async (): Promise<void> => {
    const r = run('go', ['build', '-toolexec', `${BIN} toolexec`, '-o', exe, '.'], { cwd: app, env });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(r.stderr, '');
    assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
    // The session, in go-<pid> where the calls looked for a daemon, goes with its go process.
    await until('the go process\'s session to end', () => goDirs().length === 0);
  };

  await plain();
  const [pid] = serversOf(app);
  assert.ok(pid, 'the toolexec calls started a persistent server');
  assert.equal(events('session.open').length, 1);
  assert.equal(typeof events('session.open')[0]!.goPid, 'number');
  assert.equal(events('session.go-exit').length, 1);
  assert.equal(events('config.load').length, 1);

  // An edit: the same server, the configuration under the suffix the first session stored.
  fs.appendFileSync(path.join(app, 'main.go'), '\n// edited\n');
  await plain();
  assert.deepEqual(serversOf(app), [pid]);
  assert.equal(events('config.load').length, 1, 'the configuration was not loaded again');
  assert.ok(events('config.reuse').length >= 1);
  assert.ok(events('resolve.reuse').length >= 1, 'the injected packages were not resolved again');

  // orchestrion go finds the same server.
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  assert.deepEqual(serversOf(app), [pid]);
  assert.equal(events('session.open').length, 3);
});

test('orchestrion go: a persistent server exits after ORCHESTRION_SERVER_TIMEOUT without a build', async () => {
  const { app } = fixture();
  const env = goEnv(gocache, { ORCHESTRION_SERVER: 'persistent', ORCHESTRION_SERVER_TIMEOUT: '1s' });
  const r = run(BIN, ['go', 'build', '-o', path.join(tempDir('out'), 'app'), '.'], { cwd: app, env });
  assert.equal(r.code, 0, describeResult(r));
  await until('the idle server to exit', () => serversOf(app).length === 0);
});

test('orchestrion go: a persistent server killed with SIGKILL is replaced by the next build, which clears the directory and socket it left', async (t) => {
  const { app } = fixture();
  const env = goEnv(gocache, { ORCHESTRION_SERVER: 'persistent', ORCHESTRION_SERVER_TIMEOUT: '1m' });
  t.after(() => {
    for (const pid of serversOf(app)) process.kill(pid, 'SIGTERM');
  });
  const exe = path.join(tempDir('out'), 'app');
  let r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env });
  assert.equal(r.code, 0, describeResult(r));
  const [first] = serversOf(app);
  assert.ok(first);
  process.kill(first, 'SIGKILL');
  await until('the killed server to be gone', () => serversOf(app).length === 0);
  fs.appendFileSync(path.join(app, 'main.go'), '\n// edited\n');
  r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stderr, '');
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  const now = serversOf(app);
  assert.equal(now.length, 1);
  assert.notEqual(now[0], first);
});

test('orchestrion go: a bad ORCHESTRION_SERVER or ORCHESTRION_SERVER_TIMEOUT fails before go runs, naming it', () => {
  const { app } = fixture();
  let r = run(BIN, ['go', 'build', '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_SERVER: 'forever' }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ORCHESTRION_SERVER=forever: expected "persistent" or "per-build"/);
  r = run(BIN, ['go', 'build', '.'], { cwd: app, env: goEnv(gocache, { ORCHESTRION_SERVER: 'persistent', ORCHESTRION_SERVER_TIMEOUT: '10' }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /invalid value "10" for ORCHESTRION_SERVER_TIMEOUT: time: invalid duration "10"/);
  assert.deepEqual(serversOf(app), []);
});

test('orchestrion server -url-file: plain go -toolexec builds through it; a second one exits 2; removing the file stops it', async () => {
  const { app } = fixture();
  const urlFile = path.join(tempDir('url'), '.orchestrion-jobserver');
  const env = goEnv(gocache);
  const server = spawn(BIN, ['server', `-url-file=${urlFile}`, '-inactivity-timeout', '2m', '-build-flags', '[build]'], { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  try {
    await until('the URL file', () => fs.existsSync(urlFile));
    const url = fs.readFileSync(urlFile, 'utf8');
    assert.match(url, /^unix:\//);

    const again = run(BIN, ['server', '-url-file', urlFile], { cwd: app, env });
    assert.equal(again.code, 2, describeResult(again));
    assert.match(again.stderr, /A server is already listening on "unix:/);

    const exe = path.join(tempDir('out'), 'app');
    const r = run('go', ['build', '-toolexec', `${BIN} toolexec`, '-o', exe, '.'], { cwd: app, env: { ...env, ORCHESTRION_JOBSERVER_URL: url } });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  } finally {
    fs.rmSync(urlFile, { force: true });
  }
  assert.equal(await exited, 0, stderr);
});

test('orchestrion server: flags are checked as Orchestrion\'s', () => {
  const cwd = tempDir('flags');
  let r = run(BIN, ['server', '-inactivity-timeout', 'soon'], { cwd, env: goEnv(gocache) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid value "soon" for -inactivity-timeout/);
  r = run(BIN, ['server', '-build-flags', '{not: a list}'], { cwd, env: goEnv(gocache) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid -build-flags value/);
  r = run(BIN, ['server', '-frobnicate'], { cwd, env: goEnv(gocache) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /flag provided but not defined: -frobnicate/);
});
