// dd-trace-go v2's whole configuration, unchanged: a module whose orchestrion.tool.go imports
// github.com/DataDog/dd-trace-go/orchestrion/all/v2 (from the module proxy, pinned by
// test/fixtures/ddall) loads, every orchestrion.yml validates, and the -V=full fingerprint of the
// injectable packages computes. Needs the network the first time (the module downloads).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { injectablesFingerprint, injectedPaths } from '../src/config/injectables.ts';
import { loadConfig } from '../src/config/load.ts';
import { ModuleResolver, type ResolverEnv } from '../src/config/modresolve.ts';
import { allIntegrationsModule } from './ddtrace-app.ts';
import { goEnv, run, tempDir } from './helpers.ts';

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

test('dd-trace-go orchestrion/all/v2: go.mod locates every integration where go list does', async () => {
  const mod = allIntegrationsModule();
  const env = goEnv(tempDir('gocache'));
  const goenv = JSON.parse(run('go', ['env', '-json', 'GOMOD', 'GOWORK', 'GOFLAGS', 'GOMODCACHE'], { cwd: mod, env }).stdout) as ResolverEnv;
  const resolver = ModuleResolver.create(mod, goenv);
  assert.ok(resolver instanceof ModuleResolver, String(resolver));
  // Every package the integrations' tool files import (nested modules of dd-trace-go's repository
  // among them), and their dependencies: one go list, compared with the resolver's answers.
  const listed = run('go', ['list', '-deps', '-f', '{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}', 'github.com/DataDog/dd-trace-go/contrib/net/http/v2', 'github.com/DataDog/dd-trace-go/contrib/database/sql/v2', 'github.com/DataDog/dd-trace-go/v2/ddtrace/tracer'], { cwd: mod, env });
  assert.equal(listed.code, 0, listed.stderr);
  let answered = 0;
  for (const line of listed.stdout.trim().split('\n')) {
    const [importPath, dir] = line.split(' ');
    const got = resolver.dir(importPath!);
    // Undefined leaves it to go list; an answer must be go's.
    if (got !== undefined) {
      assert.equal(got, dir, importPath);
      answered++;
    }
  }
  assert.ok(answered > 50, `only ${answered} packages located from go.mod`);
  // The configuration loads the same either way.
  const fast = await loadConfig(mod, env);
  const slow = await loadConfig(mod, env, { locate: 'go-list' });
  assert.deepEqual(fast.aspects.map((a) => [a.file, a.aspect]), slow.aspects.map((a) => [a.file, a.aspect]));
  assert.deepEqual(fast.files, slow.files);
});
