// `make test-all`: the example app built with every integration dd-trace-go ships
// (orchestrion.tool.go imports github.com/DataDog/dd-trace-go/orchestrion/all/v2): the build
// succeeds, the binary sends the same span tree, and `orchestrion go test` passes. Slow (many
// modules to download, several hundred packages to weave), so not part of `make test`.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { allIntegrationsModule, assertAppTrace } from '../ddtrace-app.ts';
import { runWithAgent } from '../fakeagent.ts';
import { BIN, compiledTwice, describeResult, goEnv, run, tempDir } from '../helpers.ts';

const mod = allIntegrationsModule();
const gocache = tempDir('gocache-all');
const TIMEOUT = 3_600_000;

test('orchestrion go build with orchestrion/all/v2: builds, and the app sends its span tree', async () => {
  const exe = path.join(tempDir('out'), 'traced');
  const log = path.join(tempDir('log'), 'log.jsonl');
  const r = run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: mod, env: goEnv(gocache, { ORCHESTRION_LOG_FILE: log }), timeoutMs: TIMEOUT });
  assert.equal(r.code, 0, describeResult(r));
  assertAppTrace(await runWithAgent([exe], { cwd: mod }));
  assert.deepEqual(compiledTwice(log), [], 'packages compiled twice');
});

test('orchestrion go test with orchestrion/all/v2', () => {
  const r = run(BIN, ['go', 'test', './...'], { cwd: mod, env: goEnv(gocache), timeoutMs: TIMEOUT });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, /^ok\s+example\.com\/traced\/inventory/m);
});
