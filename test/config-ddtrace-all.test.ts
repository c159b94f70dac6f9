// dd-trace-go v2's whole configuration, unchanged: a module whose orchestrion.tool.go imports
// github.com/DataDog/dd-trace-go/orchestrion/all/v2 (from the module proxy, pinned by
// test/fixtures/ddall) loads, every orchestrion.yml validates, and the -V=full fingerprint of the
// injectable packages computes. Needs the network the first time (the module downloads).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { injectablesFingerprint, injectedPaths } from '../src/config/injectables.ts';
import { loadConfig } from '../src/config/load.ts';
import { allIntegrationsModule } from './ddtrace-app.ts';
import { goEnv, tempDir } from './helpers.ts';

test('dd-trace-go orchestrion/all/v2: every orchestrion.yml loads and validates', async () => {
  const mod = allIntegrationsModule();
  const env = goEnv(tempDir('gocache'));
  const cfg = await loadConfig(mod, env);
  const files = new Set(cfg.aspects.map((a) => a.file));
  const ddFiles = [...files].filter((f) => f.includes('dd-trace-go'));
  // dd-trace-go v2.6.0's integrations (with the v2.9.1 core orchestrion v1.12.0 requires): 132
  // aspects in 48 files; the count only moves when the pinned versions do.
  assert.ok(ddFiles.length >= 45, `only ${ddFiles.length} dd-trace-go orchestrion.yml files loaded:\n${ddFiles.join('\n')}`);
  assert.ok(cfg.aspects.length >= 130, `only ${cfg.aspects.length} aspects`);
  for (const want of ['contrib/net/http/v2', 'contrib/database/sql/v2', 'contrib/google.golang.org/grpc/v2', 'contrib/gin-gonic/gin/v2', 'ddtrace/tracer', 'internal/orchestrion/gls.orchestrion.yml']) {
    assert.ok(ddFiles.some((f) => f.includes(want)), `no configuration from ${want}`);
  }
  const ids = new Set(cfg.aspects.map((a) => a.aspect.id));
  for (const id of ['//dd:span', 'func main()', 'Transport.RoundTrip', 'built.WithOrchestrion']) assert.ok(ids.has(id), `aspect "${id}" missing`);
  // The tracer-internal flag survives loading (GLS and http.Transport marking rely on it).
  assert.ok(cfg.aspects.some((a) => a.aspect['tracer-internal'] === true && a.file.includes('dd-trace-go')));

  // Every package the aspects may inject resolves in the module's build list: aspects for
  // libraries the app does not use (go-elasticsearch v7/v8, …) only import what their own join
  // points imply, which adds nothing.
  const injected = injectedPaths(cfg.aspects);
  assert.ok(![...injected.keys()].some((p) => p.startsWith('github.com/elastic/')), [...injected.keys()].join('\n'));
  const fp = await injectablesFingerprint(mod, injected, env);
  assert.match(fp.hash, /^[0-9a-f]{16,}$/);
  console.log(`${cfg.aspects.length} aspects from ${files.size} files (${ddFiles.length} dd-trace-go); ${injected.size} injectable packages`);
});
