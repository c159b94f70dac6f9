// Loading a configuration tree with the real `go list`: orchestrion.tool.go imports, integration
// packages' orchestrion.yml, `extends` (files and directories), built-in aspects, and their order.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { goEnv, tempDir } from './helpers.ts';

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
const yml = (id: string, extra = '') =>
  `meta: {name: ${id}, description: test}\n${extra}aspects:\n  - id: ${id}\n    join-point:\n      function-body:\n        directive: '${id}'\n    advice:\n      - prepend-statements:\n          template: println()\n`;

function tree() {
  const base = tempDir('cfgtree');
  const app = path.join(base, 'app');
  write(path.join(app, 'go.mod'), 'module example.com/app\n\ngo 1.23\n\nrequire example.com/integ v0.0.0\n\nreplace example.com/integ => ../integ\n');
  write(path.join(app, 'main.go'), 'package main\n\nfunc main() {}\n');
  write(
    path.join(app, 'orchestrion.tool.go'),
    '//go:build tools\n\npackage tools\n\nimport (\n\t_ "github.com/DataDog/orchestrion" // integration\n\t_ "example.com/integ/http" // integration\n)\n',
  );
  write(path.join(app, 'orchestrion.yml'), yml('root-aspect'));
  const integ = path.join(base, 'integ');
  write(path.join(integ, 'go.mod'), 'module example.com/integ\n\ngo 1.23\n');
  write(path.join(integ, 'http', 'http.go'), 'package http\n');
  write(path.join(integ, 'http', 'orchestrion.yml'), yml('integ-http', 'extends:\n  - ./extra.yml\n  - ../shared\n'));
  write(path.join(integ, 'http', 'extra.yml'), yml('integ-extra'));
  write(path.join(integ, 'shared', 'shared.go'), 'package shared\n');
  write(path.join(integ, 'shared', 'orchestrion.yml'), yml('integ-shared', 'extends:\n  - ../http/extra.yml\n'));
  return { app, integ };
}

test('a tool file, an integration with extends, and the built-ins load in Orchestrion\'s order', async () => {
  const { app, integ } = tree();
  const cfg = await loadConfig(app, goEnv(tempDir('gocache-cfg')));
  assert.deepEqual(
    cfg.aspects.map((a) => a.aspect.id),
    // extra.yml is reached twice (directly and through ../shared): only its first position counts.
    ['built.WithOrchestrion', 'built.WithOrchestrionVersion', 'integ-extra', 'integ-shared', 'integ-http', 'root-aspect'],
  );
  for (const f of ['http/orchestrion.yml', 'http/extra.yml', 'shared/orchestrion.yml']) assert.ok(cfg.files.includes(path.join(integ, f)), f);
  assert.ok(cfg.files.includes(path.join(app, 'go.mod')));
  const httpAspect = cfg.aspects.find((a) => a.aspect.id === 'integ-http')!;
  assert.equal(httpAspect.file, path.join(integ, 'http', 'orchestrion.yml'));
  assert.deepEqual(httpAspect.positionOf('join-point.function-body.directive'), { line: 9, column: 20 });
});

test('an import that go list cannot find names the package and the tool file', async () => {
  const { app } = tree();
  fs.appendFileSync(path.join(app, 'orchestrion.tool.go'), 'import _ "example.com/integ/missing"\n');
  await assert.rejects(loadConfig(app, goEnv(tempDir('gocache-cfg'))), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /app\/orchestrion\.tool\.go:\d+:\d+: import "example\.com\/integ\/missing": /);
    return true;
  });
});

test('an extends entry that does not exist is located in its file', async () => {
  const { app, integ } = tree();
  fs.writeFileSync(path.join(integ, 'http', 'orchestrion.yml'), yml('integ-http', 'extends:\n  - ./nope.yml\n'));
  await assert.rejects(loadConfig(app, goEnv(tempDir('gocache-cfg'))), /http\/orchestrion\.yml:3:5: extends: "\.\/nope\.yml": no such file or directory/);
});

test('a module without configuration has no aspects', async () => {
  const dir = tempDir('empty-mod');
  write(path.join(dir, 'go.mod'), 'module example.com/empty\n');
  assert.deepEqual((await loadConfig(dir)).aspects, []);
});

test('a meta-package (a lone //go:build tools file) imported from a tool file loads, its imports resolved in the main module', async () => {
  const { app, integ } = tree();
  // Like dd-trace-go's orchestrion/all/v2: a module of its own with no buildable file, a tool file
  // importing integrations, and replace directives of its own that must not matter (resolved in its
  // directory, example.com/integ would point nowhere; the main module's build list is what counts).
  const all = path.join(path.dirname(integ), 'all');
  write(path.join(all, 'go.mod'), 'module example.com/all\n\ngo 1.23\n\nrequire example.com/integ v0.0.0\n\nreplace example.com/integ => ../nowhere\n');
  write(path.join(all, 'orchestrion.tool.go'), '//go:build tools\n\npackage all\n\nimport _ "example.com/integ/shared" // integration\n');
  write(
    path.join(app, 'go.mod'),
    'module example.com/app\n\ngo 1.23\n\nrequire (\n\texample.com/all v0.0.0\n\texample.com/integ v0.0.0\n)\n\nreplace example.com/integ => ../integ\n\nreplace example.com/all => ../all\n',
  );
  write(path.join(app, 'orchestrion.tool.go'), '//go:build tools\n\npackage tools\n\nimport _ "example.com/all"\n');
  fs.rmSync(path.join(app, 'orchestrion.yml'));
  const cfg = await loadConfig(app, goEnv(tempDir('gocache-cfg')));
  assert.deepEqual(cfg.aspects.map((a) => a.aspect.id), ['integ-extra', 'integ-shared']);
});

test('YAML aliases in an aspect resolve against the document', async () => {
  const { app } = tree();
  const text =
    "meta: {name: a, description: test}\naspects:\n  - id: first\n    join-point:\n      function-body:\n        directive: 'a'\n    advice:\n      - prepend-statements:\n          template: &shared println(\"shared\")\n" +
    "  - id: second\n    join-point:\n      function-body:\n        directive: 'b'\n    advice:\n      - prepend-statements:\n          template: *shared\n";
  fs.writeFileSync(path.join(app, 'orchestrion.yml'), text);
  const cfg = await loadConfig(app, goEnv(tempDir('gocache-cfg')));
  const second = cfg.aspects.find((a) => a.aspect.id === 'second')!;
  assert.deepEqual(second.aspect.advice, [{ 'prepend-statements': { template: 'println("shared")' } }]);
});
