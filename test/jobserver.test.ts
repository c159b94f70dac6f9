// The job server over its real Unix socket: never-build-twice semantics, the version handshake,
// socket permissions. (Instrumentation through the server is covered by the end-to-end tests.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '../src/jobserver/client.ts';
import { PROTOCOL_VERSION, encode } from '../src/jobserver/protocol.ts';
import { JobServer } from '../src/jobserver/server.ts';
import { tempDir } from './helpers.ts';

let server: JobServer;
let dir: string;
before(async () => {
  dir = path.join(tempDir('jobserver'), 'srv');
  server = await JobServer.listen({ root: tempDir('root'), dir });
});
after(() => server.close());

test('the socket is private to its user', () => {
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.equal(fs.statSync(server.socketPath).mode & 0o777, 0o600);
});

test('build.start: one owner; a concurrent caller waits and re-uses the owner\'s artifacts', async () => {
  const a = await Client.connect(server.url);
  const b = await Client.connect(server.url);
  const first = await a.call('build.start', { importPath: 'example.com/p', buildID: 'id1' });
  assert.ok('token' in first);
  let waiterDone = false;
  const waiter = b.call('build.start', { importPath: 'example.com/p', buildID: 'id1' }).finally(() => (waiterDone = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(waiterDone, false, 'the second caller must wait for the owner');
  const archive = path.join(tempDir('work'), '_pkg_.a');
  fs.writeFileSync(archive, 'archive bytes');
  await a.call('build.finish', { importPath: 'example.com/p', buildID: 'id1', token: first.token, artifacts: { '_pkg_.a': archive } });
  const second = await waiter;
  assert.ok('reuse' in second);
  const kept = second.reuse['_pkg_.a']!;
  assert.notEqual(kept, archive, 'artifacts are copied: the owner\'s work directory may go away');
  fs.rmSync(archive);
  assert.equal(fs.readFileSync(kept, 'utf8'), 'archive bytes');
  // A later caller gets the same answer at once; a finished build is not re-finished.
  const third = await b.call('build.start', { importPath: 'example.com/p', buildID: 'id1' });
  assert.deepEqual(third, second);
  // Another build ID is another build.
  assert.ok('token' in (await b.call('build.start', { importPath: 'example.com/p', buildID: 'id2' })));
  a.close();
  b.close();
});

test('a failed owner fails its waiters with its message, and is not remembered', async () => {
  const a = await Client.connect(server.url);
  const b = await Client.connect(server.url);
  const first = await a.call('build.start', { importPath: 'example.com/f', buildID: 'x' });
  assert.ok('token' in first);
  const waiter = b.call('build.start', { importPath: 'example.com/f', buildID: 'x' });
  await a.call('build.finish', { importPath: 'example.com/f', buildID: 'x', token: first.token, error: 'compile failed: boom' });
  await assert.rejects(waiter, /compile failed: boom/);
  assert.ok('token' in (await a.call('build.start', { importPath: 'example.com/f', buildID: 'x' })), 'a retry owns the build again');
  a.close();
  b.close();
});

test('finish errors: unknown build, wrong token, no artifacts', async () => {
  const c = await Client.connect(server.url);
  await assert.rejects(c.call('build.finish', { importPath: 'nope', buildID: 'x', token: 't' }), /no build started for "nope"/);
  const s = await c.call('build.start', { importPath: 'example.com/t', buildID: 'x' });
  assert.ok('token' in s);
  await assert.rejects(c.call('build.finish', { importPath: 'example.com/t', buildID: 'x', token: 'forged', artifacts: {} }), /invalid finish token/);
  await assert.rejects(c.call('build.finish', { importPath: 'example.com/t', buildID: 'x', token: s.token, artifacts: {} }), /missing files, and no error reported/);
  c.close();
});

test('a client speaking another protocol version is refused with both versions named', async () => {
  const sock = net.createConnection({ path: server.socketPath });
  await new Promise((r) => sock.once('connect', r));
  const reply = new Promise<string>((r) => sock.once('data', (d) => r(d.toString())));
  sock.write(encode({ v: PROTOCOL_VERSION + 1, id: 7, method: 'stats', params: {} }));
  const msg = JSON.parse(await reply);
  sock.destroy();
  assert.equal(msg.id, 7);
  assert.match(msg.error.message, /protocol version mismatch: client speaks \d+, server speaks \d+/);
});

test('a module without orchestrion.yml: no aspects, nothing sent to the injector', async () => {
  const c = await Client.connect(server.url);
  const src = path.join(tempDir('src'), 'a.go');
  fs.writeFileSync(src, 'package a\n');
  const res = await c.call('instrument', {
    importPath: 'example.com/a',
    packageName: 'a',
    files: [src],
    importcfg: '/nonexistent/importcfg',
    lang: 'go1.22',
    goos: 'linux',
    goarch: 'amd64',
    tool: path.join(execFileSync('go', ['env', 'GOTOOLDIR'], { encoding: 'utf8' }).trim(), 'compile'),
  });
  assert.deepEqual(res, { files: [], references: [], langLevel: '', errors: [], skipped: true });
  const stats = await c.call('stats', {});
  assert.equal(stats.instrumented, 0);
  c.close();
});
