// The job server's memory plan (src/pool/budget.ts): sizes as users write them, errors naming the
// variable, the worker count from the budget and the cores, and each instance's recycle size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_MEMORY, memoryPlan, parseSize } from '../src/pool/budget.ts';

const MiB = 2 ** 20;

test('sizes: units as Go and people write them; anything else names the variable', () => {
  assert.equal(parseSize('400MiB', 'X'), 400 * MiB);
  assert.equal(parseSize('1GiB', 'X'), 1024 * MiB);
  assert.equal(parseSize('512M', 'X'), 512 * MiB);
  assert.equal(parseSize('1.5g', 'X'), 1.5 * 1024 * MiB);
  assert.equal(parseSize('2GB', 'X'), 2e9);
  assert.equal(parseSize(' 1048576 ', 'X'), MiB);
  for (const bad of ['', 'lots', '-1MiB', '1 MiB MiB', '1TiB', 'MiB']) {
    assert.throws(() => parseSize(bad, 'ORCHESTRION_MAX_MEMORY'), (err: Error) => err.message.startsWith(`ORCHESTRION_MAX_MEMORY=${JSON.stringify(bad)}: not a size`), bad);
  }
});

test('the default budget runs one worker on any machine; larger budgets run more, up to the cores and 4', () => {
  const def = memoryPlan({}, 2);
  assert.equal(def.budget, DEFAULT_MAX_MEMORY);
  assert.equal(def.workers, 1);
  assert.equal(memoryPlan({}, 16).workers, 1);
  assert.equal(memoryPlan({ ORCHESTRION_MAX_MEMORY: '1GiB' }, 2).workers, 2);
  assert.equal(memoryPlan({ ORCHESTRION_MAX_MEMORY: '1GiB' }, 16).workers, 4);
  assert.equal(memoryPlan({ ORCHESTRION_MAX_MEMORY: '600MiB' }, 16).workers, 2);
  assert.equal(memoryPlan({ ORCHESTRION_MAX_MEMORY: '8GiB' }, 16).workers, 4);
  // Below what one worker needs, one still runs (the build goes on), replaced at the smallest size.
  const tiny = memoryPlan({ ORCHESTRION_MAX_MEMORY: '100MiB' }, 2);
  assert.equal(tiny.workers, 1);
  assert.equal(tiny.recycleBytes, 64 * MiB);
});

test('recycle size: half of each worker\'s share of what the base leaves; more workers, smaller shares', () => {
  const one = memoryPlan({ ORCHESTRION_MAX_MEMORY: '600MiB', ORCHESTRION_WORKERS: '1' }, 2);
  const two = memoryPlan({ ORCHESTRION_MAX_MEMORY: '600MiB', ORCHESTRION_WORKERS: '2' }, 2);
  assert.equal(one.workers, 1);
  assert.equal(two.workers, 2);
  assert.ok(one.recycleBytes > two.recycleBytes, `${one.recycleBytes} > ${two.recycleBytes}`);
  assert.ok(one.recycleBytes <= 600 * MiB / 2);
  assert.equal(one.gogc, 100);
});

test('ORCHESTRION_WORKERS fixes the count; a value that is not a positive whole number names the variable', () => {
  assert.equal(memoryPlan({ ORCHESTRION_WORKERS: '3' }, 2).workers, 3);
  for (const bad of ['0', '-2', '1.5', 'many']) {
    assert.throws(() => memoryPlan({ ORCHESTRION_WORKERS: bad }, 2), new RegExp(`^Error: ORCHESTRION_WORKERS="${bad}": not a positive whole number`));
  }
});

test('ORCHESTRION_WASM_RECYCLE_MIB overrides the recycle size only', () => {
  const plan = memoryPlan({ ORCHESTRION_WASM_RECYCLE_MIB: '1000' }, 2);
  assert.equal(plan.recycleBytes, 1000 * MiB);
  assert.equal(plan.workers, memoryPlan({}, 2).workers);
  assert.equal(memoryPlan({ ORCHESTRION_WASM_RECYCLE_MIB: 'x' }, 2).recycleBytes, memoryPlan({}, 2).recycleBytes);
});
