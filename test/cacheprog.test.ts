// orchestrion cacheprog (GOCACHEPROG) against a real bazel-remote and real go builds: the protocol
// round trip, a second "worker" served entirely by the remote, a remote killed mid-build and
// restarted, a corrupt body on the server's disk, -read-only, authentication, several processes on
// one local directory, and orchestrion go with our cacheprog and with a third-party one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { encodeIndex, mergeRecords, PREFETCH_FILE, ROLE_ENV, type PrefetchIndex } from '../src/cacheprog/prefetch.ts';
import { collectCounters, type Counters } from '../src/cacheprog/stats.ts';
import { BazelRemote, bazelRemoteBinary } from './bazel-remote.ts';
import { BIN, ROOT, compiledPackages, describeResult, goEnv, logEvents, run, tempDir, tempModule, type Result } from './helpers.ts';

/** A small program: the runtime and its dependencies, ~30 compiles, and a package of its own. */
function smallModule(): string {
  const dir = tempDir('cp-mod');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/cp\n\ngo 1.23\n');
  fs.mkdirSync(path.join(dir, 'greet'));
  fs.writeFileSync(path.join(dir, 'greet', 'greet.go'), 'package greet\n\nfunc Hello(n string) string { return "hello " + n }\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "example.com/cp/greet"\n\nfunc main() { println(greet.Hello("cache")) }\n');
  return dir;
}

/** A word of GOCACHEPROG (split by go as cmd/internal/quoted does). */
function quote(word: string): string {
  return word === '' || /[\s'"]/.test(word) ? `'${word}'` : word;
}

interface Build extends Result {
  /** The cacheprog's debug log (ORCHESTRION_LOG_FILE). */
  log: string;
  compiles: number;
  counters: Counters | undefined;
  warnings: string[];
  exe: string;
  /** With `prefetch`: what the build's cacheprog recorded (its next prefetch index). */
  recorded?: PrefetchIndex;
}

/**
 * `go build -x` of `dir` with a fresh GOCACHE and GOCACHEPROG=orchestrion cacheprog <flags>; the
 * cacheprog counters are collected through the stats directory orchestrion go would name.
 */
async function build(
  dir: string,
  cacheprogFlags: string[],
  opts: { extraEnv?: Record<string, string>; onStart?: () => void; prefetch?: Buffer } = {},
): Promise<Build> {
  const stats = tempDir('cp-stats');
  // As orchestrion go does for its go command: the index found (or an empty file), and the role.
  if (opts.prefetch) fs.writeFileSync(path.join(stats, PREFETCH_FILE), opts.prefetch);
  const log = path.join(tempDir('cp-log'), 'log.jsonl');
  const exe = path.join(tempDir('cp-out'), 'prog');
  const env = goEnv(tempDir('cp-gocache'), {
    GOCACHEPROG: [BIN, 'cacheprog', ...cacheprogFlags].map(quote).join(' '),
    ORCHESTRION_CACHEPROG_STATS: stats,
    ORCHESTRION_LOG_FILE: log,
    CI: '',
    ...(opts.prefetch && { [ROLE_ENV]: 'main' }),
    ...opts.extraEnv,
  });
  const r = await runAsync('go', ['build', '-x', '-o', exe, '.'], { cwd: dir, env }, opts.onStart);
  const recorded = opts.prefetch ? mergeRecords(stats) : undefined;
  return {
    ...r,
    recorded,
    log,
    compiles: (r.stderr.match(/\/compile -o /g) ?? []).length,
    counters: collectCounters(stats),
    warnings: r.stderr.split('\n').filter((l) => l.startsWith('orchestrion cacheprog: warning:')),
    exe,
  };
}

function runAsync(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }, onStart?: () => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    onStart?.();
  });
}

function assertBuilt(b: Build): void {
  assert.equal(b.code, 0, describeResult(b));
  const out = run(b.exe, [], { cwd: path.dirname(b.exe) });
  assert.equal(out.stderr, 'hello cache\n');
}

function sameBinary(a: Build, b: Build): void {
  assert.ok(fs.readFileSync(a.exe).equals(fs.readFileSync(b.exe)), `${a.exe} and ${b.exe} differ`);
}

/** A cacheprog process driven by hand: each request line (and body) written, the response lines read until it exits. */
async function session(flags: string[], env: NodeJS.ProcessEnv, input: string): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  const child = spawn(BIN, ['cacheprog', ...flags], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stderr, lines: stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) };
}

function b64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** The request lines go writes for a put of `body` under `actionID`, as cmd/go/internal/cache/prog.go writes them. */
function putRequest(id: number, actionID: string, body: Buffer): string {
  const outputID = crypto.createHash('sha256').update(body).digest('hex');
  const head = JSON.stringify({ ID: id, Command: 'put', ActionID: b64(actionID), OutputID: b64(outputID), BodySize: body.length }) + '\n\n';
  return body.length === 0 ? head : `${head}"${body.toString('base64')}"\n`;
}

function getRequest(id: number, actionID: string): string {
  return JSON.stringify({ ID: id, Command: 'get', ActionID: b64(actionID) }) + '\n';
}

/** GOCACHEPROG is Go 1.24's: with an older toolchain there is nothing to test. */
const goMinor = Number(/^go1\.(\d+)/.exec(run('go', ['env', 'GOVERSION'], { cwd: ROOT }).stdout)?.[1] ?? 0);
const cacheTest = goMinor >= 24 ? test : test.skip;

const servers: BazelRemote[] = [];
before(() => {
  // Built once into .tools/ (about 100 s on 2 cores), then reused.
  if (goMinor >= 24) bazelRemoteBinary();
});
after(async () => {
  for (const s of servers) await s.kill();
});

async function server(extraArgs: string[] = []): Promise<BazelRemote> {
  const s = await BazelRemote.start(tempDir('bazel-remote'), extraArgs);
  servers.push(s);
  return s;
}

cacheTest('flags: a bad flag or argument is a usage error (exit 2); help documents the flags; the handshake comes first', () => {
  for (const args of [['-bogus'], ['extra'], ['-remote', 'ftp://example.com'], ['-dir']]) {
    const r = run(BIN, ['cacheprog', ...args], { cwd: tempDir('cp-flags') });
    assert.equal(r.code, 2, describeResult(r));
    assert.match(r.stderr, /^orchestrion cacheprog: .+\nusage: orchestrion cacheprog \[-dir DIR\] \[-remote URL\] \[-read-only\]\n$/);
  }
  const env = { ...process.env, ORCHESTRION_REMOTE_CACHE_READONLY: 'maybe' };
  assert.equal(run(BIN, ['cacheprog'], { cwd: '/', env }).code, 2);
  const help = run(BIN, ['help', 'cacheprog'], { cwd: '/' });
  assert.equal(help.code, 0, describeResult(help));
  for (const s of ['-dir', '-remote', '-read-only', 'ORCHESTRION_REMOTE_CACHE_AUTH', 'ORCHESTRION_REMOTE_CACHE_READONLY', 'docs/CI.md']) assert.ok(help.stdout.includes(s), s);
  assert.equal(run(BIN, ['cacheprog', '--help'], { cwd: '/' }).stdout, help.stdout);
  // stdin at its end at once: the handshake, then a clean exit.
  const r = run(BIN, ['cacheprog', '-dir', tempDir('cp-local')], { cwd: '/' });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stdout, '{"ID":0,"KnownCommands":["get","put","close"]}\n');
});

cacheTest('round trip: a build fills the remote; a second worker (fresh GOCACHE, fresh local directory) compiles nothing; a corrupt or truncated body is a miss', async () => {
  const remote = await server();
  const mod = smallModule();
  const first = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url]);
  assertBuilt(first);
  assert.ok(first.compiles >= 20, `compiles: ${first.compiles}`);
  assert.deepEqual(first.warnings, []);
  const c1 = first.counters!;
  assert.equal(c1.localHits + c1.remoteHits, 0);
  assert.equal(c1.uploads, c1.puts, JSON.stringify(c1));
  assert.ok(remote.casFiles().length > 0 && remote.acFiles().length > 0);

  const second = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url]);
  assertBuilt(second);
  assert.equal(second.compiles, 0, second.stderr);
  sameBinary(first, second);
  const c2 = second.counters!;
  assert.equal(c2.localHits, 0);
  assert.ok(c2.remoteHits > 20, JSON.stringify(c2));
  assert.ok(c2.bytesDown > 0);

  // The largest body on the server's disk gets other bytes of the same length; the next largest is cut short.
  const [largest, next] = remote
    .casFiles()
    .map((f) => ({ f, size: fs.statSync(f).size }))
    .sort((a, b) => b.size - a.size);
  const bad = fs.readFileSync(largest!.f);
  bad[bad.length >> 1] ^= 0xff;
  fs.writeFileSync(largest!.f, bad);
  fs.truncateSync(next!.f, next!.size >> 1);
  const third = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url]);
  assertBuilt(third);
  sameBinary(first, third);
  assert.equal(third.counters!.corrupt, 2, JSON.stringify(third.counters));
  assert.ok(third.compiles >= 1, 'what the bad bodies held was built again');
  assert.equal(third.warnings.length, 1, third.stderr);
  assert.match(third.warnings[0]!, /does not match its hash/);
  // The rebuilt bodies were uploaded again over the bad ones: the remote is repaired.
  const fourth = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url]);
  assertBuilt(fourth);
  // On failure: what the third build's cacheprog did with the two bodies, the server's log, go's output.
  const keys = [largest!.f, next!.f].map((f) => path.basename(f).slice(0, 64));
  const why = () =>
    [
      ...logEvents(third.log).filter((e) => keys.some((k) => JSON.stringify(e).includes(k))).map((e) => JSON.stringify(e)),
      fs.readFileSync(remote.log, 'utf8'),
      fourth.stderr,
    ].join('\n');
  assert.equal(fourth.compiles, 0, why());
  assert.equal(fourth.counters!.corrupt, 0);
});


cacheTest('prefetch index: a second worker brings what the first recorded, many at a time; an index entry the remote cannot serve is fetched as go asks; a bad index is ignored', async () => {
  const remote = await server();
  const mod = smallModule();
  const first = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url], { prefetch: Buffer.alloc(0) });
  assertBuilt(first);
  const recorded = first.recorded!;
  // Every action go stored (a compile's archive, its output) is in the record, once, in order.
  assert.equal(recorded.main.length, first.counters!.puts, JSON.stringify(first.counters));
  assert.equal(new Set(recorded.main.map((e) => e.actionID)).size, recorded.main.length);
  assert.deepEqual(recorded.child, []);

  // One entry of the index names a body the remote does not have (a stale index): go's get for
  // that action goes to /ac/ as without an index. (Not the last ones: the link's actions depend on
  // the output path, which differs from build to build.)
  // Five of them: go asks again only for some of the entries it stored (a compile stores more than
  // one), and which of them sits in the middle of the record varies with the build's parallelism.
  const k = recorded.main.length >> 1;
  const staleAt = new Set([k - 2, k - 1, k, k + 1, k + 2]);
  const stale = recorded.main.filter((_, i) => staleAt.has(i));
  const index = { main: recorded.main.map((e, i) => (staleAt.has(i) ? { ...e, outputID: 'ab'.repeat(32) } : e)), child: [] };
  const second = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url], { prefetch: encodeIndex(index) });
  assertBuilt(second);
  assert.equal(second.compiles, 0, second.stderr);
  sameBinary(first, second);
  const c2 = second.counters!;
  // All but the stale entries; the link's actions (another output path) are new, and only they miss.
  assert.equal(c2.prefetched, recorded.main.length - stale.length, JSON.stringify(c2));
  assert.equal(c2.remoteMisses, c2.puts, JSON.stringify(c2));
  assert.ok(c2.puts < 5, JSON.stringify(c2));
  assert.ok(c2.remoteHits >= 1, JSON.stringify(c2));
  assert.deepEqual(second.warnings, []);
  // It recorded the stale entries go asked for with the output go got from /ac/.
  const asked = stale.filter((e) => second.recorded!.main.some((r) => r.actionID === e.actionID));
  assert.ok(asked.length >= 1 && asked.length === c2.remoteHits, JSON.stringify({ asked: asked.length, c2 }));
  for (const e of asked) assert.equal(second.recorded!.main.find((r) => r.actionID === e.actionID)?.outputID, e.outputID);
  const prefetch = logEvents(second.log).filter((e) => e.event === 'cacheprog.prefetch');
  assert.equal(prefetch.length, 1);
  assert.equal(prefetch[0]!.entries, recorded.main.length);

  // Not an index (another tool's bytes): no prefetch, nothing recorded, the build as without one.
  const third = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url], { prefetch: Buffer.from('orchestrion-prefetch/1\nm nonsense\n') });
  assertBuilt(third);
  assert.equal(third.compiles, 0, third.stderr);
  assert.equal(third.counters!.prefetched, 0);
  assert.deepEqual(third.recorded, { main: [], child: [] });
});
cacheTest('a remote killed mid-build: the build succeeds with one warning, puts stay local; restarted, it serves what it took', async () => {
  const remote = await server();
  const mod = smallModule();
  let killed: Promise<void> | undefined;
  const killAfterSomeUploads = () => {
    killed = (async () => {
      while (remote.requests('PUT', '/ac/') < 5) await new Promise((r) => setTimeout(r, 20));
      await remote.kill();
    })();
  };
  const first = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url], { onStart: killAfterSomeUploads });
  await killed;
  assertBuilt(first);
  assert.equal(first.warnings.length, 1, first.stderr);
  assert.match(first.warnings[0]!, /remote cache http:\/\/127\.0\.0\.1:\d+\/: .*the build goes on with the local cache/);
  const c = first.counters!;
  assert.ok(c.uploads >= 5 && c.uploadFailures > 0, `the kill came mid-build: ${JSON.stringify(c)}`);
  assert.equal(c.uploads + c.uploadFailures, c.puts);

  await remote.restart();
  const second = await build(mod, ['-dir', tempDir('cp-local'), '-remote', remote.url]);
  assertBuilt(second);
  sameBinary(first, second);
  assert.deepEqual(second.warnings, []);
  assert.ok(second.counters!.remoteHits >= 5, JSON.stringify(second.counters));
});

cacheTest('-read-only (ORCHESTRION_REMOTE_CACHE_READONLY=1, the URL from ORCHESTRION_REMOTE_CACHE) reads the remote and never writes to it', async () => {
  const remote = await server();
  const mod = smallModule();
  const b = await build(mod, ['-dir', tempDir('cp-local')], { extraEnv: { ORCHESTRION_REMOTE_CACHE: remote.url, ORCHESTRION_REMOTE_CACHE_READONLY: '1' } });
  assertBuilt(b);
  const c = b.counters!;
  assert.equal(c.readOnly, 1);
  assert.ok(c.puts > 0 && c.remoteMisses === c.gets, JSON.stringify(c));
  assert.equal(c.uploads + c.uploadFailures, 0);
  assert.ok(remote.requests('GET', '/ac/') > 0, 'the remote was asked');
  assert.equal(remote.requests('PUT'), 0);
  assert.equal(remote.requests('HEAD'), 0);
  assert.deepEqual([...remote.casFiles(), ...remote.acFiles()], []);
});

cacheTest('authentication: ORCHESTRION_REMOTE_CACHE_AUTH is sent as the Authorization header; a refused upload still answers the put', async () => {
  const dir = tempDir('cp-auth');
  const htpasswd = path.join(dir, 'htpasswd');
  fs.writeFileSync(htpasswd, `ci:{SHA}${crypto.createHash('sha1').update('s3cret').digest('base64')}\n`);
  const remote = await server(['--htpasswd_file', htpasswd, '--allow_unauthenticated_reads']);
  const actionID = crypto.randomBytes(32).toString('hex');
  const body = Buffer.from('a body\n');
  const close = JSON.stringify({ ID: 3, Command: 'close' }) + '\n';
  const env = { ...process.env, ORCHESTRION_CACHEPROG_STATS: '' };

  // Without credentials: the put is answered with its DiskPath; the upload fails, once, with a warning.
  const anon = await session(['-dir', tempDir('cp-local'), '-remote', remote.url], env, putRequest(1, actionID, body) + close);
  assert.equal(anon.code, 0, anon.stderr);
  assert.equal(anon.lines[1]!.ID, 1);
  assert.equal(fs.readFileSync(anon.lines[1]!.DiskPath as string, 'utf8'), 'a body\n');
  assert.equal(anon.lines[1]!.Err, undefined);
  assert.match(anon.stderr, /warning: remote cache .*HTTP 401/);
  assert.equal(remote.casFiles().length, 0);

  const auth = `Basic ${Buffer.from('ci:s3cret').toString('base64')}`;
  const authed = await session(['-dir', tempDir('cp-local'), '-remote', remote.url], { ...env, ORCHESTRION_REMOTE_CACHE_AUTH: auth }, putRequest(1, actionID, body) + close);
  assert.equal(authed.code, 0, authed.stderr);
  assert.equal(authed.stderr, '');
  assert.equal(remote.casFiles().length, 1);

  // Reads need no credentials on this server: a fresh local directory gets the entry from the remote.
  const read = await session(['-dir', tempDir('cp-local'), '-remote', remote.url, '-read-only'], env, getRequest(1, actionID) + getRequest(2, '00'.repeat(32)) + close);
  assert.equal(read.code, 0, read.stderr);
  const [hit, miss] = [read.lines.find((l) => l.ID === 1)!, read.lines.find((l) => l.ID === 2)!];
  assert.equal(hit.OutputID, b64(crypto.createHash('sha256').update(body).digest('hex')));
  assert.equal(hit.Size, body.length);
  assert.equal(fs.readFileSync(hit.DiskPath as string, 'utf8'), 'a body\n');
  assert.equal(miss.Miss, true);
  assert.deepEqual(read.lines.at(-1), { ID: 3 });
});

cacheTest('TLS follows the URL: https with a private CA (NODE_EXTRA_CA_CERTS); an untrusted certificate is a miss and one warning', async () => {
  const dir = tempDir('cp-tls');
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const gen = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir });
  assert.equal(gen.code, 0, describeResult(gen));
  const remote = await server(['--tls_cert_file', cert, '--tls_key_file', key]);
  assert.match(remote.url, /^https:/);
  const actionID = crypto.randomBytes(32).toString('hex');
  const close = JSON.stringify({ ID: 9, Command: 'close' }) + '\n';
  const env = { ...process.env, ORCHESTRION_CACHEPROG_STATS: '' };
  const untrusted = await session(['-dir', tempDir('cp-local'), '-remote', remote.url], env, getRequest(1, actionID) + close);
  assert.equal(untrusted.code, 0, untrusted.stderr);
  assert.equal(untrusted.lines[1]!.Miss, true);
  assert.match(untrusted.stderr, /warning: remote cache https:.*certificate/);

  const trusted = { ...env, NODE_EXTRA_CA_CERTS: cert };
  const put = await session(['-dir', tempDir('cp-local'), '-remote', remote.url], trusted, putRequest(1, actionID, Buffer.from('over TLS\n')) + close);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(put.stderr, '');
  const get = await session(['-dir', tempDir('cp-local'), '-remote', remote.url], trusted, getRequest(1, actionID) + close);
  assert.equal(fs.readFileSync(get.lines[1]!.DiskPath as string, 'utf8'), 'over TLS\n');
});

cacheTest('a remote that accepts connections and never answers: misses after the timeout, puts answered at once, one warning; the next process of the build does not wait', async () => {
  const held: net.Socket[] = [];
  const silent = net.createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
  try {
    const stats = tempDir('cp-stats');
    const env = { ...process.env, ORCHESTRION_CACHEPROG_STATS: stats, ORCHESTRION_REMOTE_CACHE_TIMEOUT: '5' };
    const [a, b, c] = [1, 2, 3].map(() => crypto.randomBytes(32).toString('hex'));
    const close = JSON.stringify({ ID: 9, Command: 'close' }) + '\n';
    let start = Date.now();
    const first = await session(['-dir', tempDir('cp-local'), '-remote', url], env, getRequest(1, a!) + getRequest(2, b!) + putRequest(3, c!, Buffer.from('x')) + close);
    const firstMs = Date.now() - start;
    assert.equal(first.code, 0, first.stderr);
    assert.ok(firstMs >= 5000, `the first get waited for the timeout (${firstMs} ms)`);
    assert.equal(first.lines.find((l) => l.ID === 1)!.Miss, true);
    assert.equal(first.lines.find((l) => l.ID === 2)!.Miss, true);
    assert.ok(first.lines.find((l) => l.ID === 3)!.DiskPath);
    assert.equal(first.stderr.match(/warning:/g)?.length, 1, first.stderr);
    assert.match(first.stderr, /no answer for 5 s; the build goes on with the local cache/);

    start = Date.now();
    const second = await session(['-dir', tempDir('cp-local'), '-remote', url], env, getRequest(1, a!) + close);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.lines.find((l) => l.ID === 1)!.Miss, true);
    assert.ok(Date.now() - start < 4000, 'no second wait');
    assert.equal(second.stderr, '', 'the build has been warned already');
    const c2 = collectCounters(stats)!;
    assert.equal(c2.processes, 2);
    assert.equal(c2.remoteMisses, 3);
    assert.equal(c2.uploadFailures, 1);
  } finally {
    for (const s of held) s.destroy();
    silent.close();
  }
});

cacheTest('an empty body, and a body that is not what go announced (an error: never stored)', async () => {
  const local = tempDir('cp-local');
  const env = { ...process.env, ORCHESTRION_REMOTE_CACHE: '' };
  const a = crypto.randomBytes(32).toString('hex');
  const b = crypto.randomBytes(32).toString('hex');
  const lying = JSON.stringify({ ID: 2, Command: 'put', ActionID: b64(b), OutputID: b64('11'.repeat(32)), BodySize: 3 }) + '\n\n"YWJj"\n';
  const s = await session(['-dir', local], env, putRequest(1, a, Buffer.alloc(0)) + lying + getRequest(3, a) + getRequest(4, b) + JSON.stringify({ ID: 5, Command: 'close' }) + '\n');
  assert.equal(s.code, 0, s.stderr);
  const by = (id: number) => s.lines.find((l) => l.ID === id)!;
  assert.equal(fs.statSync(by(1).DiskPath as string).size, 0);
  assert.match(by(2).Err as string, /not what go announced/);
  assert.equal(by(3).Size ?? 0, 0);
  assert.equal(by(3).DiskPath, by(1).DiskPath);
  assert.equal(by(4).Miss, true);
  assert.deepEqual(fs.readdirSync(path.join(local, 'tmp')), [], 'no temporary file left');
});

cacheTest('concurrent builds on one local directory: both succeed, the same binary, and the directory serves a third build entirely', async () => {
  const local = tempDir('cp-local');
  const mod = smallModule();
  const [a, b] = await Promise.all([build(mod, ['-dir', local, '-remote', '']), build(mod, ['-dir', local, '-remote', ''])]);
  assertBuilt(a);
  assertBuilt(b);
  sameBinary(a, b);
  const third = await build(mod, ['-dir', local, '-remote', '']);
  assertBuilt(third);
  assert.equal(third.compiles, 0, third.stderr);
  assert.ok(third.counters!.localHits > 20, JSON.stringify(third.counters));
  assert.deepEqual(fs.readdirSync(path.join(local, 'tmp')), [], 'no temporary file left');
});

const INSTRUMENTED = 'linked calls: 1\nrt: enter [Hello] f7d18982\nhello gopher\n';

cacheTest('orchestrion go build with our cacheprog: the job server\'s child builds use it too; -v prints the cache line, a plain build does not', async () => {
  const app = path.join(tempModule('test/fixtures/inject'), 'app');
  const local = tempDir('cp-local');
  const gocacheprog = `${BIN} cacheprog -dir ${local} -remote ''`;
  const exe = path.join(tempDir('cp-out'), 'app');
  const first = run(BIN, ['go', 'build', '-v', '-o', exe, '.'], { cwd: app, env: goEnv(tempDir('cp-gocache'), { GOCACHEPROG: gocacheprog, CI: '' }) });
  assert.equal(first.code, 0, describeResult(first));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  const line = /^orchestrion: cache: local (\d+) hits, (\d+) misses, (\d+) puts; no remote \((\d+) cacheprog processes\)$/m.exec(first.stderr);
  assert.ok(line, first.stderr);
  // go build itself, and the child go list -export builds that resolve the injected packages.
  assert.ok(Number(line[4]) >= 2, line[0]);

  // Another GOCACHE, the same local directory: nothing reaches the compiler, not even in the child
  // builds (they would compile the runtime packages with a GOCACHE of their own).
  const log = path.join(tempDir('log'), 'log.jsonl');
  const second = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(tempDir('cp-gocache'), { GOCACHEPROG: gocacheprog, CI: '', ORCHESTRION_LOG_FILE: log }) });
  assert.equal(second.code, 0, describeResult(second));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  assert.deepEqual(compiledPackages(log), []);
  assert.doesNotMatch(second.stderr, /orchestrion: cache:/, 'quiet without -v or CI');
  // Under CI the line is printed without -v.
  const ci = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: app, env: goEnv(tempDir('cp-gocache'), { GOCACHEPROG: gocacheprog, CI: 'true' }) });
  assert.match(ci.stderr, /^orchestrion: cache: local \d+ hits, 0 misses/m);
});

/** The version @latest gave on 2026-12-02, pinned so that the binary can be kept in .tools/. */
const GO_CACHER = 'github.com/bradfitz/go-tool-cache/cmd/go-cacher@v0.0.0-20260722201841-0bb331e19f64';

function goCacherBinary(): string {
  const goVersion = run('go', ['env', 'GOVERSION'], { cwd: ROOT }).stdout.trim();
  const gobin = path.join(ROOT, '.tools', 'go-cacher', `${GO_CACHER.split('@')[1]}-${goVersion}`);
  const bin = path.join(gobin, 'go-cacher');
  if (fs.existsSync(bin)) return bin;
  const inst = run('go', ['install', GO_CACHER], { cwd: ROOT, env: goEnv(tempDir('cp-gocache'), { GOBIN: gobin, GOCACHEPROG: '' }) });
  assert.equal(inst.code, 0, describeResult(inst));
  return bin;
}

cacheTest('orchestrion go build with a third-party GOCACHEPROG (go-cacher from the module proxy)', () => {
  const app = path.join(tempModule('test/fixtures/inject'), 'app');
  const exe = path.join(tempDir('cp-out'), 'app');
  const gocacheprog = `${goCacherBinary()} -cache-dir ${tempDir('cp-go-cacher')}`;
  const r = run(BIN, ['go', 'build', '-v', '-o', exe, '.'], { cwd: app, env: goEnv(tempDir('cp-gocache'), { GOCACHEPROG: gocacheprog }) });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(run(exe, [], { cwd: app }).stdout, INSTRUMENTED);
  assert.doesNotMatch(r.stderr, /orchestrion: cache:/, 'no line for a cacheprog that is not ours');
});
