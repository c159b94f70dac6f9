// The wasm build's patch of github.com/dave/dst (src/wasm/dst-patch.ts): it applies to the dst version
// go-helpers/go.mod requires, it refuses any other text loudly, and the wasm injector it builds
// instruments net/http, whose large files crashed an unpatched module (a nil interface key written
// into a map of ~900+ entries reads out of bounds under Go 1.26+ js/wasm; docs/wasm-bugs/).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DST_RESTORER_PATCH, applyPatch, moduleDir } from '../src/wasm/dst-patch.ts';
import { ROOT, tempDir } from './helpers.ts';

const HELPERS = path.join(ROOT, 'go-helpers');
const NIL_KEY_WRITE = '\tr.Dst.Nodes[out.X] = n\n';

test('the patch applies to the dst version go.mod requires, and removes only the nil-key write', async () => {
  const file = path.join(await moduleDir('go', DST_RESTORER_PATCH.module, HELPERS, process.env), DST_RESTORER_PATCH.file);
  const source = fs.readFileSync(file, 'utf8');
  const patched = applyPatch(DST_RESTORER_PATCH, source, file);
  assert.ok(!patched.includes(NIL_KEY_WRITE));
  const before = source.split('\n');
  const after = patched.split('\n');
  const removed = before.findIndex((line) => `${line}\n` === NIL_KEY_WRITE);
  assert.deepEqual(after.slice(0, removed), before.slice(0, removed));
  assert.match(after[removed]!, /^\t\/\/ /, 'a comment takes the statement\'s place');
  assert.deepEqual(after.slice(removed + 1), before.slice(removed + 1));
});

test('the patch fails loudly, naming the file and the expected text, on any other source', () => {
  const file = '/mod/github.com/dave/dst@v9/decorator/restorer.go';
  const expected = JSON.stringify(DST_RESTORER_PATCH.expect);
  assert.throws(() => applyPatch(DST_RESTORER_PATCH, 'package decorator\n', file), (err: Error) => {
    assert.ok(err.message.startsWith(`${file}: expected exactly one occurrence of ${expected}, found 0.`), err.message);
    return true;
  });
  // The statement alone, without its anchor line, is not enough.
  assert.throws(() => applyPatch(DST_RESTORER_PATCH, `func f() {\n${NIL_KEY_WRITE}}\n`, file), /found 0/);
  const twice = `${DST_RESTORER_PATCH.expect}${DST_RESTORER_PATCH.expect}`;
  assert.throws(() => applyPatch(DST_RESTORER_PATCH, twice, file), /found 2\./);
});

test('the wasm injector instruments every function of net/http (large files with qualified identifiers)', { timeout: 600_000 }, async () => {
  // The pool runs its worker from the compiled tree (make all).
  const { InjectorPool } = await import(path.join(ROOT, 'dist', 'pool', 'pool.js'));
  const { ensureWasm, pathToolchain } = await import(path.join(ROOT, 'dist', 'wasm', 'module.js'));
  const { memoryPlan } = await import(path.join(ROOT, 'dist', 'pool', 'budget.js'));
  const list = JSON.parse(spawnSync('go', ['list', '-json', 'net/http'], { encoding: 'utf8' }).stdout) as { Dir: string; GoFiles: string[] };
  const importcfg = path.join(tempDir('importcfg'), 'importcfg');
  const fmt = '{{if .Export}}packagefile {{.ImportPath}}={{.Export}}\n{{end}}{{range $k, $v := .ImportMap}}importmap {{$k}}={{$v}}\n{{end}}';
  const cfg = spawnSync('go', ['list', '-export', '-deps', '-f', fmt, 'net/http'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(cfg.status, 0, cfg.stderr);
  fs.writeFileSync(importcfg, cfg.stdout);

  const pool = new InjectorPool(await ensureWasm(await pathToolchain(ROOT)), memoryPlan({ ORCHESTRION_WORKERS: '1' }));
  try {
    const res = await pool.instrument({
      importPath: 'net/http',
      goVersion: '',
      goos: 'linux',
      goarch: 'amd64',
      files: list.GoFiles.map((f) => path.join(list.Dir, f)),
      importcfg,
      aspects: [true, false].map((receiver) => ({
        id: receiver ? 'methods' : 'functions',
        'join-point': { 'function-body': { function: [{ receiver }] } },
        advice: [{ 'prepend-statements': { template: 'println({{ printf "%q" .Function.Name }})' } }],
      })),
    });
    assert.deepEqual(res.errors ?? [], []);
    const server = (res.files ?? []).find((f: { path: string }) => path.basename(f.path) === 'server.go');
    assert.ok(server, 'server.go was modified');
    assert.match(server.content, /println\("ServeHTTP"\)/);
  } finally {
    await pool.close();
  }
});
