// The pool's warm-up weave (src/pool/warmup.ts) must go through the whole weave on the toolchain at
// hand: a package that stopped type-checking without export data, or aspects that stopped matching,
// would leave the V8 compilation it is for to the build's first real weave, silently.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { warmUpRequest } from '../src/pool/warmup.ts';
import { ROOT } from './helpers.ts';

test('the warm-up request type-checks and weaves with every aspect it carries', { timeout: 600_000 }, async () => {
  // The pool runs its worker from the compiled tree (make all).
  const { InjectorPool } = await import(path.join(ROOT, 'dist', 'pool', 'pool.js'));
  const { ensureWasm, pathToolchain } = await import(path.join(ROOT, 'dist', 'wasm', 'module.js'));
  const { memoryPlan } = await import(path.join(ROOT, 'dist', 'pool', 'budget.js'));
  const tc = await pathToolchain(ROOT);
  const request = warmUpRequest(tc.goroot);
  assert.ok(request, `no warm-up package in ${tc.goroot}`);
  const pool = new InjectorPool(await ensureWasm(tc), memoryPlan({ ORCHESTRION_WORKERS: '1' }));
  try {
    const res = await pool.instrument({ ...request, explain: true });
    assert.deepEqual(res.errors ?? [], []);
    assert.deepEqual(res.warnings ?? [], [], 'a warning (such as a failed type check) means the weave stopped early');
    assert.ok((res.files ?? []).length > 0, 'nothing woven');
    const verdicts = (res.explain ?? []) as { aspectIndex: number; stage: string }[];
    assert.deepEqual(
      request.aspects.map((_, i) => verdicts.find((v) => v.aspectIndex === i)?.stage),
      request.aspects.map(() => 'matched'),
    );
  } finally {
    await pool.close();
  }
});
