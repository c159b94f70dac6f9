// The overhead report of `orchestrion go`: a line with -v, a JSON document with ORCHESTRION_STATS,
// nothing otherwise (a plain build stays quiet).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';

const gocache = tempDir('gocache-overhead');

test('orchestrion go: -v prints the overhead line, ORCHESTRION_STATS gets the JSON, a plain build prints nothing of ours', () => {
  const mod = tempModule('examples/hello');
  const statsFile = path.join(tempDir('stats'), 'stats.json');
  const env = goEnv(gocache, { ORCHESTRION_CACHE_DIR: tempDir('orch'), CI: '' });
  const cold = run(BIN, ['go', 'build', '-o', path.join(tempDir('out'), 'hello'), '.'], { cwd: mod, env: { ...env, ORCHESTRION_STATS: statsFile } });
  assert.equal(cold.code, 0, describeResult(cold));
  assert.equal(cold.stderr, '', 'a build without -v prints nothing of ours');
  const c = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
  assert.equal(c.format, 1);
  assert.equal(c.suffix, 'computed');
  assert.ok(c.woven >= 1 && c.untouched > 20 && c.compiles === c.woven + c.fromInstrumentationCache + c.untouched, JSON.stringify(c));
  assert.ok(c.configMs > 0 && c.goMs > 0 && c.setupMs > 0 && c.peakRSSKiB > 10_000, JSON.stringify(c));

  // Files copied just before the first build were too fresh for the suffix cache to vouch for
  // (racy): the next build stores the suffix.
  const again = run(BIN, ['go', 'build', '-o', path.join(tempDir('out'), 'hello'), '.'], { cwd: mod, env });
  assert.equal(again.code, 0, describeResult(again));
  assert.equal(again.stderr, '');
  // Warm: go's cache answers every compile, the suffix comes from the suffix cache.
  const warm = run(BIN, ['go', 'build', '-v', '-o', path.join(tempDir('out'), 'hello'), '.'], { cwd: mod, env: { ...env, ORCHESTRION_STATS: statsFile } });
  assert.equal(warm.code, 0, describeResult(warm));
  const w = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
  assert.equal(w.suffix, 'cache');
  assert.equal(w.compiles, 0);
  assert.match(warm.stderr, /^orchestrion: 0 compiles \(0 woven, 0 from the instrumentation cache, 0 untouched\); set-up \d+\.\d\d s \(suffix: cache\), go \d+\.\d\d s, .* peak memory \d+ MiB$/m);
});
