// Resolve hints (src/cache/resolve-hint.ts): what an entry must be to be used. The end-to-end
// behaviour (a hinted build prefetches, and gives the same bytes with a right, a wrong or no hint)
// is in test/e2e-inject.test.ts, which shares that fixture's build cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHint, encodeHint, prefetchSet, sameSets } from '../src/cache/resolve-hint.ts';

test('a hint is used only when well formed, recorded under the same suffix, and bounded', () => {
  const hint = { suffix: 'orchestrion@v0.1.0;abc', sets: [['example.com/a', 'example.com/b'], ['example.com/c']] };
  assert.deepEqual(decodeHint(encodeHint(hint), hint.suffix), hint);
  assert.equal(decodeHint(encodeHint(hint), 'orchestrion@v0.1.0;other'), undefined, 'another suffix');
  assert.equal(decodeHint('not json', hint.suffix), undefined);
  assert.equal(decodeHint(JSON.stringify({ format: 99, suffix: hint.suffix, sets: [] }), hint.suffix), undefined, 'another format');
  const bad = (sets: unknown) => decodeHint(JSON.stringify({ format: 1, suffix: hint.suffix, sets }), hint.suffix);
  assert.equal(bad([['-toolexec=evil']]), undefined, 'a flag where a package should be');
  assert.equal(bad([['']]), undefined);
  assert.equal(bad([[1]]), undefined);
  assert.equal(bad('x'), undefined);
  assert.equal(bad(Array.from({ length: 65 }, () => ['p'])), undefined, 'too many sets');
  assert.equal(bad([Array.from({ length: 4097 }, (_, i) => `p${i}`)]), undefined, 'too many packages');
  assert.ok(sameSets(hint.sets, structuredClone(hint.sets)));
  assert.ok(!sameSets(hint.sets, [hint.sets[1]!, hint.sets[0]!]));
});

test("the set resolved ahead: the largest one asked, with every set asked after it", () => {
  assert.equal(prefetchSet([]), undefined);
  assert.deepEqual(prefetchSet([['a'], ['b', 'c']]), ['b', 'c']);
  // A cold build: two packages' injected imports, main's compile (all link-time deps), the link.
  assert.deepEqual(prefetchSet([['x'], ['y'], ['l1', 'l2', 'l3', 'm'], ['l1', 'l2', 'l3']]), ['l1', 'l2', 'l3', 'm']);
  assert.deepEqual(prefetchSet([['l1', 'other'], ['l1', 'l2']]), ['l1', 'l2'], 'not a superset');
  // The link ran directly (bin/orchestrion's link gate): main's rounds, the second asking what the first's packages carry.
  assert.deepEqual(prefetchSet([['rt'], ['linked', 'mainhook', 'rt'], ['deep']]), ['deep', 'linked', 'mainhook', 'rt']);
});
