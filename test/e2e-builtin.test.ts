// The built-in aspects that importing github.com/DataDog/orchestrion in orchestrion.tool.go brings:
// `//orchestrion:enabled` (and `//dd:orchestrion-enabled`) booleans become true, and
// `//orchestrion:version` strings get orchestrion's version (the fixture pins none: the compatible
// release), only in instrumented builds.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';
import { ORCHESTRION_COMPAT_VERSION } from '../src/config/orchestrion-version.ts';

test('orchestrion:enabled and orchestrion:version are set in an instrumented build only', () => {
  const mod = tempModule('test/fixtures/builtin');
  const gocache = tempDir('gocache-builtin');
  const out = tempDir('out');
  const b = run(BIN, ['go', 'build', '-o', path.join(out, 'instrumented'), '.'], { cwd: mod, env: goEnv(gocache) });
  assert.equal(b.code, 0, describeResult(b));
  assert.equal(run(path.join(out, 'instrumented'), [], { cwd: mod }).stdout, `true true ${ORCHESTRION_COMPAT_VERSION}\n`);
  const p = run('go', ['build', '-o', path.join(out, 'plain'), '.'], { cwd: mod, env: goEnv(gocache) });
  assert.equal(p.code, 0, describeResult(p));
  assert.equal(run(path.join(out, 'plain'), [], { cwd: mod }).stdout, 'false false \n');
});
