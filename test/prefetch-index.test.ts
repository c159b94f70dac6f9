// The prefetch index's format and bookkeeping (src/cacheprog/prefetch.ts): what a fresh worker's
// cacheprogs fetch ahead, and when orchestrion go stores a new one. The fetching itself runs against
// a real bazel-remote in test/cacheprog.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeIndex, encodeIndex, mergeRecords, readPrefetchFile, Recorder, uncovered, writePrefetchFile, type IndexEntry } from '../src/cacheprog/prefetch.ts';
import { tempDir } from './helpers.ts';

const hex = (n: number, c: string) => c.repeat(64).slice(0, 63) + n.toString(16).slice(-1);
const entry = (n: number, out = 'b'): IndexEntry => ({ actionID: hex(n, 'a'), outputID: hex(n, out), size: n * 10, time: 1_700_000_000_000 + n });

test('an index round-trips; anything else (another format, a bad or cut line) is no index', () => {
  const index = { main: [entry(1), entry(2)], child: [entry(3)] };
  const body = encodeIndex(index);
  assert.deepEqual(decodeIndex(body), index);
  assert.deepEqual(decodeIndex(encodeIndex({ main: [], child: [] })), { main: [], child: [] });
  assert.equal(decodeIndex('orchestrion-prefetch/2\n'), undefined);
  assert.equal(decodeIndex(body.subarray(0, body.length - 5)), undefined, 'cut short');
  assert.equal(decodeIndex(body.toString().replace(' 10 ', ' -10 ')), undefined);
  assert.equal(decodeIndex(body.toString().replace(/^m /m, 'x ')), undefined);
  assert.equal(decodeIndex(Buffer.from('orchestrion-cacheprog/1 ' + 'a'.repeat(64) + ' 1 1\n')), undefined);
});

test('the file orchestrion go leaves: empty means record, fetch nothing; absent means neither', () => {
  const dir = tempDir('prefetch-file');
  assert.equal(readPrefetchFile(dir), undefined);
  writePrefetchFile(dir, undefined);
  assert.deepEqual(readPrefetchFile(dir), { main: [], child: [] });
  writePrefetchFile(dir, { main: [entry(1)], child: [] });
  assert.deepEqual(readPrefetchFile(dir), { main: [entry(1)], child: [] });
});

test('records merge per role, in the order the processes closed, each action once; uncovered counts what the index lacks', () => {
  const dir = tempDir('prefetch-records');
  const write = (role: 'main' | 'child', entries: IndexEntry[], closedAt: number) => {
    fs.writeFileSync(path.join(dir, `${role}-${1000 + closedAt}-${closedAt}.rec`), entries.map((e) => `${e.actionID} ${e.outputID} ${e.size} ${e.time}\n`).join(''));
  };
  write('child', [entry(5), entry(6)], 20);
  write('child', [entry(4), entry(5)], 10);
  write('main', [entry(1), entry(2), entry(1)], 30);
  fs.writeFileSync(path.join(dir, 'main-1-5.rec'), 'not a record line\n');
  fs.writeFileSync(path.join(dir, '2-3.json'), '{}'); // a counters file: not a record
  const merged = mergeRecords(dir);
  assert.deepEqual(merged, { main: [entry(1), entry(2)], child: [entry(4), entry(5), entry(6)] });

  assert.equal(uncovered(undefined, merged), 5);
  assert.equal(uncovered(merged, merged), 0);
  // An index that held more serves this build as well: nothing to store.
  assert.equal(uncovered({ main: [entry(1), entry(2), entry(9)], child: [entry(4), entry(5), entry(6), entry(7)] }, merged), 0);
  // Another output for one action, or an action under the other role, is new.
  assert.equal(uncovered({ main: [entry(1), entry(2, 'c')], child: [entry(4), entry(5), entry(6)] }, merged), 1);
  assert.equal(uncovered({ main: [entry(1), entry(2), entry(4)], child: [entry(5), entry(6)] }, merged), 1);
});

test('a recorder keeps the first sighting of an action, and writes nothing when it saw none', () => {
  const dir = tempDir('prefetch-recorder');
  const r = new Recorder('child');
  r.write(dir);
  assert.deepEqual(fs.readdirSync(dir), []);
  for (const e of [entry(2), entry(1), entry(2, 'c')]) r.add(e.actionID, e.outputID, e.size, new Date(e.time));
  r.write(dir);
  assert.deepEqual(mergeRecords(dir), { main: [], child: [entry(2), entry(1)] });
});
