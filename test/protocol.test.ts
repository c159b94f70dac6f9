// The job-server protocol: request validation, the version handshake, framing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION, checkRequest, encode, lineReader, socketPathOf } from '../src/jobserver/protocol.ts';

test('valid requests pass', () => {
  assert.equal(checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'stats', params: {} }), undefined);
  assert.equal(checkRequest({ v: PROTOCOL_VERSION, id: 2, method: 'build.start', params: { importPath: 'a/b', buildID: 'x/y' } }), undefined);
  assert.equal(
    checkRequest({
      v: PROTOCOL_VERSION,
      id: 3,
      method: 'instrument',
      params: { importPath: 'a', packageName: 'main', files: ['/a.go'], importcfg: '/cfg', lang: '', goos: 'linux', goarch: 'amd64', tool: '/t/compile' },
    }),
    undefined,
  );
});

test('a different protocol version is refused, naming both versions', () => {
  const msg = checkRequest({ v: PROTOCOL_VERSION + 1, id: 1, method: 'stats', params: {} });
  assert.match(msg ?? '', new RegExp(`client speaks ${PROTOCOL_VERSION + 1}, server speaks ${PROTOCOL_VERSION}`));
});

test('malformed requests are refused with the field named', () => {
  assert.match(checkRequest('x') ?? '', /not a JSON object/);
  assert.match(checkRequest({ v: PROTOCOL_VERSION, method: 'stats', params: {} }) ?? '', /"id"/);
  assert.match(checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'nope', params: {} }) ?? '', /unknown method "nope"/);
  assert.match(checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'build.start', params: { importPath: 'a', buildID: '' } }) ?? '', /"buildID" must be a non-empty string/);
  assert.match(
    checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'instrument', params: { importPath: 'a', files: 'x' } }) ?? '',
    /"files" must be an array/,
  );
  const resolve = { importPath: 'a', chain: [], packages: ['b'] };
  assert.equal(checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'packages.resolve', params: resolve }), undefined);
  assert.equal(checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'packages.resolve', params: { ...resolve, work: '/tmp/go-build1' } }), undefined);
  assert.match(checkRequest({ v: PROTOCOL_VERSION, id: 1, method: 'packages.resolve', params: { ...resolve, work: 'rel' } }) ?? '', /"work" must be an absolute path/);
});

test('line framing survives arbitrary chunking', () => {
  const got: string[] = [];
  const feed = lineReader((l) => got.push(l));
  const wire = encode({ a: 1 }) + encode({ b: 'é\n' }) + encode({ c: [] });
  const bytes = Buffer.from(wire);
  for (let i = 0; i < bytes.length; i += 3) feed(bytes.subarray(i, i + 3));
  assert.deepEqual(got.map((l) => JSON.parse(l)), [{ a: 1 }, { b: 'é\n' }, { c: [] }]);
});

test('job server URLs', () => {
  assert.equal(socketPathOf('unix:/tmp/x/server.sock'), '/tmp/x/server.sock');
  assert.throws(() => socketPathOf('nats://127.0.0.1:4222'), /expected "unix:<socket path>"/);
});
