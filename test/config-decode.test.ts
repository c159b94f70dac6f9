// What the build accepts in orchestrion.yml: exactly what Orchestrion's compile-time loader accepts.
// That loader never runs the JSON Schema (config.NewLoader(…, false)): only its YAML decoders decide,
// so `meta` is optional, unknown keys are ignored, and a scalar converts to a string, while a value
// of the wrong kind, a missing join point or advice, a non-boolean tracer-internal, duplicate keys
// and everything the join point and advice decoders refuse are errors.
//
// Each row is one orchestrion.yml, checked the way a build checks it: `orchestrion toolexec
// <compile> -V=full` in a module holding it (the job server loads the configuration to answer).
// The verdicts were taken from Orchestrion v1.12.0 on the same files (`go build -a -n -toolexec
// 'orchestrion toolexec'`: go asks -V=full, which loads the configuration), and can be checked
// against it again:
//   ORCHESTRION_REFERENCE_BIN=<orchestrion v1.12.0 binary>  also run every row through it (the module
//                                                            then requires github.com/DataDog/orchestrion,
//                                                            fetched through the module proxy)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, goEnv, tempDir } from './helpers.ts';

/** One decoder rule: an aspect that decodes, used where a row varies something else. */
const ASPECT = `  - id: a
    join-point: { function-body: { function: [ { name: main } ] } }
    advice: [ { prepend-statements: { template: println("x") } } ]`;
const ASPECTS = `aspects:\n${ASPECT}`;
/** An aspect with one line replaced (`join-point`, `advice`, or an extra key). */
const aspectWith = (lines: string) => `aspects:\n  - id: a\n${lines}`;
const JP = '    join-point: { function-body: { function: [ { name: main } ] } }';
const ADV = '    advice: [ { prepend-statements: { template: println("x") } } ]';

type Row = [label: string, yaml: string, verdict: 'accept' | RegExp];
const ROWS: Row[] = [
  // top level
  ['no meta, empty aspects', 'aspects: []', 'accept'],
  ['no meta', ASPECTS, 'accept'],
  ['meta only', 'meta: {name: x, description: y}', 'accept'],
  ['unknown top-level key', `foo: bar\n${ASPECTS}`, 'accept'],
  ['meta.name a number', `meta: {name: 5, description: y}\n${ASPECTS}`, 'accept'],
  ['unknown key in meta', `meta: {name: x, description: y, foo: z}\n${ASPECTS}`, 'accept'],
  ['empty extends', 'extends: []', 'accept'],
  ['null aspects', 'aspects: ~', 'accept'],
  ['null meta', 'meta: ~\naspects: []', 'accept'],
  ['null extends', 'extends: ~', 'accept'],
  ['an alias at the top level', 'x: &t println("x")\naspects:\n  - id: a\n' + JP + '\n    advice: [ { prepend-statements: { template: *t } } ]', 'accept'],
  ['a merge key inside an advice', 'x: &t { template: println("x") }\naspects:\n  - id: a\n' + JP + '\n    advice: [ { prepend-statements: { <<: *t, imports: { fmt: fmt } } } ]', 'accept'],
  ['a merge key as a join point', 'x: &j { function-body: { function: [ { name: main } ] } }\naspects:\n  - id: a\n    join-point: { <<: *j }\n' + ADV, /orchestrion\.yml:4:19: aspect "a": join-point: a merge key/],
  ['a second document (only the first is read)', 'aspects: []\n---\naspects: []', 'accept'],
  ['empty file', '', /orchestrion\.yml:1:1: empty configuration/],
  ['comments only', '# nothing', /orchestrion\.yml:1:1: empty configuration/],
  ['aspects a mapping', 'aspects: {}', /orchestrion\.yml:1:10: "aspects" must be a sequence, not a mapping/],
  ['aspects a number', 'aspects: 5', /orchestrion\.yml:1:10: "aspects" must be a sequence, not 5/],
  ['meta a number', `meta: 5\n${ASPECTS}`, /orchestrion\.yml:1:7: "meta" must be a mapping, not 5/],
  ['extends a string', 'extends: ./missing.yml', /orchestrion\.yml:1:10: "extends" must be a sequence of paths/],
  ['extends a missing file without ./', 'extends: [other.yml]', /orchestrion\.yml:1:11: extends: "other\.yml": no such file or directory/],
  ['a sequence at the top level', '- a\n- b', /orchestrion\.yml:1:1: expected a mapping/],
  ['a scalar at the top level', 'hello', /orchestrion\.yml:1:1: expected a mapping/],
  ['malformed YAML', 'aspects: [ {', /orchestrion\.yml:\d+:\d+: malformed YAML/],
  ['duplicate top-level key', `meta: {name: x}\nmeta: {name: y}\n${ASPECTS}`, /orchestrion\.yml:2:1: malformed YAML: Map keys must be unique/],
  ['tab indentation', 'aspects:\n\t- id: a', /orchestrion\.yml:2:1: malformed YAML/],
  // aspects
  ['no id', `aspects:\n  - ${JP.trim()}\n${ADV}`, 'accept'],
  ['empty id', `aspects:\n  - id: ""\n${JP}\n${ADV}`, 'accept'],
  ['numeric id', `aspects:\n  - id: 42\n${JP}\n${ADV}`, 'accept'],
  ['unknown aspect key', aspectWith(`    foo: bar\n${JP}\n${ADV}`), 'accept'],
  ['advice a single mapping', aspectWith(`${JP}\n    advice: { prepend-statements: { template: println("x") } }`), 'accept'],
  ['empty advice list', aspectWith(`${JP}\n    advice: []`), 'accept'],
  ['null tracer-internal', aspectWith(`    tracer-internal: ~\n${JP}\n${ADV}`), 'accept'],
  ['duplicate ids', `${ASPECTS}\n${ASPECT}`, 'accept'],
  ['no join-point', aspectWith(ADV), /orchestrion\.yml:2:5: aspect "a": missing required key "join-point"/],
  ['null join-point', aspectWith(`    join-point: ~\n${ADV}`), /orchestrion\.yml:2:5: aspect "a": missing required key "join-point"/],
  ['no advice', aspectWith(JP), /orchestrion\.yml:2:5: aspect "a": missing required key "advice"/],
  ['null advice', aspectWith(`${JP}\n    advice: ~`), /orchestrion\.yml:2:5: aspect "a": missing required key "advice"/],
  ['tracer-internal a string', aspectWith(`    tracer-internal: "yes"\n${JP}\n${ADV}`), /orchestrion\.yml:3:22: aspect "a": "tracer-internal" must be a boolean/],
  ['tracer-internal yes (a string in YAML 1.2)', aspectWith(`    tracer-internal: yes\n${JP}\n${ADV}`), /orchestrion\.yml:3:22: aspect "a": "tracer-internal" must be a boolean/],
  ['an aspect that is a string', 'aspects:\n  - just a string', /orchestrion\.yml:2:5: aspects\[0\]: expected a mapping/],
  // join points and advice (the injector's decoders)
  ['join point with two keys', aspectWith(`    join-point: { function-body: { function: [ { name: main } ] }, package-name: main }\n${ADV}`), /orchestrion\.yml:3:17: aspect "a": join-point: .*singleton/],
  ['unknown join point', aspectWith(`    join-point: { nope: x }\n${ADV}`), /orchestrion\.yml:3:17: aspect "a": join-point: unknown join point type "nope"/],
  ['unknown advice', aspectWith(`${JP}\n    advice: [ { nope: x } ]`), /orchestrion\.yml:4:\d+: aspect "a": advice\[0\]: unknown advice type: "nope"/],
  ['unknown key inside advice', aspectWith(`${JP}\n    advice: [ { prepend-statements: { template: println("x"), foo: 1 } } ]`), 'accept'],
  ['advice without template', aspectWith(`${JP}\n    advice: [ { prepend-statements: { imports: { fmt: fmt } } } ]`), 'accept'],
  ['template that does not parse', aspectWith(`${JP}\n    advice: [ { prepend-statements: { template: "{{ .Nope" } } ]`), /orchestrion\.yml:4:\d+: aspect "a": advice\[0\]\.prepend-statements\.template: .*unclosed action/],
  ['imports a sequence', aspectWith(`${JP}\n    advice: [ { prepend-statements: { imports: [fmt], template: println("x") } } ]`), /orchestrion\.yml:4:\d+: aspect "a": advice\[0\]\.prepend-statements\.imports: /],
  ['function-call a number', aspectWith(`    join-point: { function-call: 5 }\n    advice: [ { wrap-expression: { template: "{{ . }}" } } ]`), /orchestrion\.yml:3:\d+: aspect "a": join-point\.function-call: .*"5"/],
  ['empty one-of', aspectWith(`    join-point: { one-of: [] }\n${ADV}`), 'accept'],
  ['empty all-of', aspectWith(`    join-point: { all-of: [] }\n${ADV}`), 'accept'],
  ['package-name a number', aspectWith(`    join-point: { package-name: 5 }\n${ADV}`), 'accept'],
  ['package-name a boolean', aspectWith(`    join-point: { package-name: true }\n${ADV}`), 'accept'],
  ['directive a boolean', aspectWith(`    join-point: { function-body: { directive: true } }\n${ADV}`), 'accept'],
  ['function-call a boolean', aspectWith(`    join-point: { function-call: true }\n${ADV}`), 'accept'],
  ['import-path a number', aspectWith(`    join-point: { import-path: 12 }\n${ADV}`), 'accept'],
  ['test-main a string', aspectWith(`    join-point: { test-main: "yes" }\n${ADV}`), /orchestrion\.yml:3:\d+: aspect "a": join-point\.test-main: /],
  ['function receiver a number', aspectWith(`    join-point: { function-body: { function: [ { receiver: 5 } ] } }\n${ADV}`), /orchestrion\.yml:3:\d+: aspect "a": join-point\.function-body\.function\[0\]/],
  ['unknown function option', aspectWith(`    join-point: { function-body: { function: [ { nope: main } ] } }\n${ADV}`), /orchestrion\.yml:3:\d+: aspect "a": join-point\.function-body\.function\[0\]: unknown FuncDeclOption name: "nope"/],
  ['function-body of a number', aspectWith(`    join-point: { function-body: 5 }\n${ADV}`), /orchestrion\.yml:3:\d+: aspect "a": join-point\.function-body: .*singleton/],
];

const REFERENCE = process.env.ORCHESTRION_REFERENCE_BIN;
const env = goEnv(tempDir('gocache-decode'));

/** A module whose root package is main, configured by the row's orchestrion.yml. */
function moduleFor(label: string, yaml: string, requireOrchestrion = false): string {
  const dir = tempDir('decode');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.23\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() { println("hi") }\n');
  fs.writeFileSync(path.join(dir, 'orchestrion.tool.go'), '//go:build tools\n\npackage tools\n\nimport _ "github.com/DataDog/orchestrion"\n');
  fs.writeFileSync(path.join(dir, 'orchestrion.yml'), yaml + '\n');
  if (requireOrchestrion) {
    const r = spawnSync('go', ['get', 'github.com/DataDog/orchestrion@v1.12.0'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `${label}: go get: ${r.stderr}`);
  }
  return dir;
}

const compiler = spawnSync('go', ['env', 'GOTOOLDIR'], { env, encoding: 'utf8' }).stdout.trim() + '/compile';

/**
 * `<bin> toolexec <compile> -V=full` as cmd/go runs it, under a shell that stays its parent in the
 * module (the job server finds the main module from the parent's working directory).
 */
function versionQuery(bin: string, dir: string): { ok: boolean; stderr: string } {
  const r = spawnSync('sh', ['-c', '"$0" toolexec "$1" -V=full; exit $?', bin, compiler], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return { ok: r.status === 0 && /:orchestrion@v[^;]+;\S+/.test(r.stdout), stderr: r.stderr };
}

test('the build accepts and rejects the configurations Orchestrion accepts and rejects', async (t) => {
  for (const [label, yaml, verdict] of ROWS) {
    await t.test(label, () => {
      const dir = moduleFor(label, yaml);
      const r = versionQuery(BIN, dir);
      if (verdict === 'accept') {
        assert.ok(r.ok, `expected the build to accept it:\n${yaml}\n--- stderr\n${r.stderr}`);
      } else {
        assert.ok(!r.ok, `expected the build to reject it:\n${yaml}`);
        assert.match(r.stderr, verdict);
        assert.match(r.stderr, new RegExp(`${dir.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}/orchestrion\\.yml:\\d+:\\d+: `), 'the error names the file and position');
      }
      if (REFERENCE) {
        // Under go itself: Orchestrion's -V=full looks for its go parent when aspects import packages.
        const r = spawnSync('go', ['build', '-a', '-n', '-toolexec', `${REFERENCE} toolexec`, '.'], { cwd: moduleFor(label, yaml, true), env, encoding: 'utf8', timeout: 120_000 });
        assert.equal(r.status === 0, verdict === 'accept', `Orchestrion ${r.status === 0 ? 'accepts' : 'rejects'} it: ${r.stderr.slice(0, 2000)}`);
      }
    });
  }
});

test('lint reports what only the JSON Schema requires as warnings', () => {
  const dir = moduleFor('lint', `foo: bar\n${ASPECTS}`);
  const r = spawnSync(BIN, ['lint'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /configuration is valid/);
  assert.match(r.stderr, /^warning: .*orchestrion\.yml:1:1: .*(meta|foo)/m);
});
