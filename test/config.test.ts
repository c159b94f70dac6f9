// Configuration loading: YAML structure errors are reported as file:line:col with the aspect named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfigYAML } from '../src/config/load.ts';
import { fileMayMatch, matchesPackageFilter, packageClause, packageMayMatch, packageNoReason } from '../src/config/prefilter.ts';
import { versionSuffix } from '../src/config/fingerprint.ts';
import { ORCHESTRION_COMPAT_VERSION, orchestrionVersionOf } from '../src/config/orchestrion-version.ts';
import { toolGoImports } from '../src/config/toolgo.ts';
import { BUILTIN_ASPECTS } from '../src/config/builtin.ts';
import { schemaErrors } from '../src/config/schema.ts';

const GOOD = `meta:
  name: t
  description: d
aspects:
  - id: one
    join-point:
      function-body:
        directive: 'trace:me'
    advice:
      - prepend-statements:
          template: fmt.Println()
`;

test('a valid file yields its aspects as JSON, with positions inside them', () => {
  const { aspects } = parseConfigYAML('/m/orchestrion.yml', GOOD);
  assert.equal(aspects.length, 1);
  assert.deepEqual(aspects[0]!.aspect['join-point'], { 'function-body': { directive: 'trace:me' } });
  assert.deepEqual(aspects[0]!.positionOf('join-point.function-body'), { line: 8, column: 9 });
  assert.deepEqual(aspects[0]!.positionOf('advice[0].prepend-statements.template'), { line: 11, column: 21 });
  assert.deepEqual(aspects[0]!.positionOf('advice.0.prepend-statements'), { line: 11, column: 11 });
});

function errorOf(text: string, schema: 'off' | 'error' = 'off'): ConfigError {
  try {
    parseConfigYAML('/m/orchestrion.yml', text, { schema });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('malformed YAML names the file and position', () => {
  const e = errorOf('aspects:\n  - id: x\n    join-point: [unclosed\n');
  assert.match(e.message, /^\/m\/orchestrion\.yml:\d+:\d+: malformed YAML/);
});

const META = 'meta: {name: t, description: d}\n';
const errorOfSchema = (text: string) => errorOf(text, 'error');

test('missing keys and wrong types name the aspect; unknown keys only fail under the schema', () => {
  assert.match(errorOf(META + 'aspects:\n  - id: a\n    advice: []\n').message, /^\/m\/orchestrion\.yml:3:5: aspect "a": missing required key "join-point"/);
  assert.match(errorOf(META + 'aspects:\n  - id: c\n    tracer-internal: yes please\n    join-point: {}\n    advice: []\n').message, /:4:22: aspect "c": "tracer-internal" must be a boolean/);
  const unknownKey = META + 'aspects:\n  - id: b\n    join-point: {}\n    advise: []\n    advice: []\n';
  assert.equal(parseConfigYAML('/m/orchestrion.yml', unknownKey).aspects.length, 1, "the build ignores unknown keys, as Orchestrion's decoder does");
  assert.match(errorOf(unknownKey, 'error').message, /:5:5: aspect "b": unknown key "advise"/);
  assert.match(errorOf('aspect:\n  - id: d\n', 'error').message, /:1:1: unknown key "aspect"|\(top level\)/);
  const warnings: string[] = [];
  parseConfigYAML('/m/orchestrion.yml', unknownKey, { schema: 'warn', warn: (w) => warnings.push(w) });
  assert.match(warnings.join('\n'), /^\/m\/orchestrion\.yml:5:5: aspect "b": unknown key "advise" \(JSON Schema; the build accepts it\)$/);
});

test('the JSON Schema: wrong types and unknown join points deep inside an aspect are located', () => {
  const errorOf = (text: string) => errorOfSchema(text);
  const jp = (j: string) => `${META}aspects:\n  - id: s\n    join-point:\n${j}\n    advice:\n      - add-blank-import: fmt\n`;
  const unknown = errorOf(jp('      function-bodie:\n        directive: x'));
  assert.match(unknown.message, /^\/m\/orchestrion\.yml:\d+:\d+: aspect "s": join-point/);
  const wrongType = errorOf(jp('      function-body:\n        directive: [1, 2]'));
  assert.match(wrongType.message, /^\/m\/orchestrion\.yml:6:20: aspect "s": join-point\.function-body\.directive: /);
  assert.match(errorOf('aspects:\n  - id: m\n    join-point: {directive: x}\n    advice: [{add-blank-import: fmt}]\n').message, /\(top level\): missing required key "meta"/);
  assert.match(unknown.message, /join-point: unknown join point type "function-bodie" \(expected one of all-of, /);
  const badAdvice = errorOf(`${META}aspects:\n  - id: a\n    join-point: {directive: x}\n    advice:\n      - prepend-statement: {template: x}\n`);
  assert.match(badAdvice.message, /:6:9: aspect "a": advice\.0: unknown advice type "prepend-statement"/);
  const badOption = errorOf(`${META}aspects:\n  - id: o\n    join-point:\n      function-body:\n        function:\n          - nam: x\n    advice: [{add-blank-import: fmt}]\n`);
  assert.match(badOption.message, /aspect "o": join-point\.function-body\.function\.0: unknown function option "nam"/);
});

const file = (content: string, packageName = 'x') => ({ content, packageName });

test('file pre-filter: directive strings, names and package clauses in the file text', () => {
  const jp = { 'function-body': { directive: 'trace:me' } };
  assert.equal(fileMayMatch(jp, file('package x\n//trace:me\nfunc f() {}')), 'yes');
  assert.equal(fileMayMatch(jp, file('package x\nfunc f() {}')), 'no');
  assert.equal(fileMayMatch({ 'function-body': { function: [{ name: 'Handle' }] } }, file('func Handle() {}')), 'yes');
  assert.equal(fileMayMatch({ 'function-body': { function: [{ name: 'Handle' }] } }, file('func other() {}')), 'no');
  assert.equal(fileMayMatch({ function: [{ name: '' }] }, file('func other() {}')), 'no', 'an empty needle never matches (as in Orchestrion)');
  assert.equal(fileMayMatch({ not: jp }, file('package x')), 'all', 'a file without the directive has only nodes the negation matches');
  assert.equal(fileMayMatch({ not: jp }, file('//trace:me')), 'maybe');
  assert.equal(fileMayMatch({ 'one-of': [jp, { 'function-call': 'net/http.Get' }] }, file('http.Get()')), 'yes');
  assert.equal(fileMayMatch({ 'all-of': [jp, { 'function-call': 'net/http.Get' }] }, file('package x')), 'no');
  assert.equal(fileMayMatch({ 'package-name': 'main' }, file('', 'main')), 'all');
  assert.equal(fileMayMatch({ not: { 'package-name': 'main' } }, file('', 'main')), 'no', 'every node of the file is in package main');
  assert.equal(fileMayMatch({ not: { function: [{ name: 'Handle' }] } }, file('func Handle() {}')), 'maybe');
  assert.equal(fileMayMatch({ 'package-name': 'main' }, file('', 'lib')), 'no');
  assert.equal(fileMayMatch({ 'struct-literal': { type: 'a.B' } }, file('')), 'maybe');
  assert.equal(packageClause('// c\n/* package no */\n\npackage  foo // x\n'), 'foo');
});

test('package pre-filter: import paths, imports the join point needs, filters, test mains', () => {
  const ctx = { importPath: 'example.com/app/db', imports: new Set(['database/sql', 'fmt']), rootModule: 'example.com/app', testMain: false };
  assert.equal(packageMayMatch({ 'function-call': 'database/sql.Open' }, ctx), 'yes');
  assert.equal(packageMayMatch({ 'function-call': 'net/http.Get' }, ctx), 'no');
  assert.equal(packageMayMatch({ 'function-call': 'Open' }, ctx), 'maybe');
  assert.equal(packageMayMatch({ 'import-path': 'example.com/app/db' }, ctx), 'all');
  assert.equal(packageMayMatch({ 'import-path': 'net/http' }, ctx), 'no');
  assert.equal(packageMayMatch({ 'struct-literal': { type: '*net/http.Server', field: 'Handler' } }, ctx), 'no');
  assert.equal(packageMayMatch({ 'method-call': { receiver: '*database/sql.DB', name: 'Query' } }, ctx), 'yes');
  assert.equal(packageMayMatch({ 'value-declaration': 'error' }, ctx), 'maybe');
  assert.equal(packageMayMatch({ 'struct-definition': 'example.com/app/db.Conn' }, ctx), 'yes');
  assert.equal(packageMayMatch({ 'struct-definition': 'example.com/other.Conn' }, ctx), 'no');
  assert.equal(packageMayMatch({ function: [{ receiver: '*example.com/other.T' }] }, ctx), 'no');
  assert.equal(packageMayMatch({ function: [{ 'signature-contains': { args: ['context.Context'] } }] }, ctx), 'no');
  assert.equal(packageMayMatch({ function: [{ 'signature-contains': { args: ['database/sql.Tx'] } }] }, ctx), 'yes');
  assert.equal(packageMayMatch({ 'test-main': true }, ctx), 'no');
  assert.equal(packageMayMatch({ 'package-filter': { root: true } }, ctx), 'all');
  assert.equal(packageMayMatch({ 'package-filter': { root: true, pattern: 'db' } }, ctx), 'all');
  assert.equal(packageMayMatch({ 'package-filter': 'example.com/**/db' }, ctx), 'all');
  assert.equal(packageMayMatch({ not: { 'package-filter': 'net/*' } }, ctx), 'all');
  assert.equal(packageMayMatch({ 'test-main': false }, ctx), 'all');
  // Only a property of the package itself rules a negation out (dd-trace-go's net/http client aspect).
  const selfExcluded = { 'all-of': [{ not: { 'import-path': 'example.com/app/db' } }, { 'function-call': 'database/sql.Open' }] };
  assert.equal(packageMayMatch(selfExcluded, ctx), 'no');
  assert.equal(packageNoReason(selfExcluded, ctx), 'it excludes all of example.com/app/db: the import path is example.com/app/db');
  assert.equal(packageMayMatch({ not: { 'function-call': 'database/sql.Open' } }, ctx), 'maybe');
  assert.equal(packageMayMatch({ not: { 'one-of': [{ 'function-call': 'database/sql.Open' }, { 'package-filter': 'example.com/**' }] } }, ctx), 'no');
  assert.equal(packageMayMatch({ 'all-of': [{ 'import-path': 'example.com/app/db' }, { 'function-call': 'database/sql.Open' }] }, ctx), 'yes');
  assert.equal(packageMayMatch({ not: { function: [] } }, ctx), 'maybe', 'a function matches functions only');
  assert.equal(packageMayMatch({ not: { 'function-body': { function: [{ signature: {} }] } } }, ctx), 'maybe');
  assert.equal(packageMayMatch({ 'all-of': [{ 'import-path': 'net/http' }, { directive: 'x' }] }, ctx), 'no');
  assert.equal(packageMayMatch({ directive: 'x' }, ctx), 'maybe');
});

test('package-filter globs follow Orchestrion (path.Match segments, ** across segments)', () => {
  const m = (path: string, pattern: string, root = false, mod = 'github.com/myorg/app') => matchesPackageFilter(path, root, pattern, mod);
  assert.ok(m('github.com/myorg/internal', 'github.com/myorg/**/internal'));
  assert.ok(m('github.com/myorg/service1/x/y', 'github.com/myorg/service**'));
  assert.ok(m('github.com/myservice/api', '**service/api'));
  assert.ok(m('github.com/a/b', '*'));
  assert.ok(!m('github.com/a/b', 'github.com/*'));
  assert.ok(m('github.com/a', 'github.com/[a-c]'));
  assert.ok(!m('github.com/d', 'github.com/[a-c]'));
  assert.ok(m('github.com/myorg/app', '.', true));
  assert.ok(m('github.com/myorg/app/internal/x', 'internal/*', true));
  assert.ok(!m('github.com/other/internal/x', 'internal/*', true));
  assert.ok(!m('', '*'));
  assert.ok(!m('x', ''));
  assert.ok(!m('github.com/myorg/app', '', true, ''), 'an unknown root module never matches');
});

test('the version suffix changes with the aspects and not with key order', () => {
  const a = [{ id: 'x', 'join-point': { directive: 'a' }, advice: [{ 'prepend-statements': { template: 't', imports: { b: 'b', a: 'a' } } }] }];
  const b = [{ advice: [{ 'prepend-statements': { imports: { a: 'a', b: 'b' }, template: 't' } }], 'join-point': { directive: 'a' }, id: 'x' }];
  const c = [{ id: 'x', 'join-point': { directive: 'a' }, advice: [{ 'prepend-statements': { template: 'u' } }] }];
  const s = versionSuffix('0.1.0', 'build', a);
  assert.match(s, /^orchestrion@v0\.1\.0;[A-Za-z0-9_-]+$/);
  assert.equal(versionSuffix('0.1.0', 'build', b), s);
  assert.notEqual(versionSuffix('0.1.0', 'build', c), s);
  assert.notEqual(versionSuffix('0.1.0', 'other-build', a), s);
  assert.notEqual(versionSuffix('0.1.0', 'build', a, '', 'v1.11.0'), versionSuffix('0.1.0', 'build', a, '', 'v1.12.0'));
});

test("the templates' Version is the orchestrion the main module pins, by Orchestrion's rules", () => {
  const mod = (body: string) => `module example.com/app\n\ngo 1.23\n\n${body}\n`;
  assert.equal(orchestrionVersionOf(mod('')), ORCHESTRION_COMPAT_VERSION, 'not required: the compatible release');
  assert.equal(orchestrionVersionOf(mod('require github.com/DataDog/orchestrion v1.10.0')), 'v1.10.0');
  const block = 'require (\n\tgithub.com/DataDog/dd-trace-go/v2 v2.2.0\n\tgithub.com/DataDog/orchestrion v1.11.1 // indirect\n)';
  assert.equal(orchestrionVersionOf(mod(block)), 'v1.11.1');
  assert.equal(orchestrionVersionOf(mod(`${block}\nreplace github.com/DataDog/orchestrion => ../orchestrion`)), 'v1.12.0+dev', 'a directory: a dev build');
  assert.equal(orchestrionVersionOf(mod(`${block}\nreplace github.com/DataDog/orchestrion => example.com/fork v1.11.9`)), 'v1.11.9');
  assert.equal(orchestrionVersionOf(mod(`${block}\nreplace github.com/DataDog/orchestrion v1.0.0 => ../o`)), 'v1.11.1', 'replaces another version only');
  assert.equal(orchestrionVersionOf(mod(`${block}\nreplace (\n\tgithub.com/DataDog/orchestrion v1.11.1 => ../o\n)`)), 'v1.12.0+dev');
  assert.equal(orchestrionVersionOf('module github.com/DataDog/orchestrion\n'), 'v1.12.0+dev', "orchestrion's own module");
  assert.equal(orchestrionVersionOf(mod('// require github.com/DataDog/orchestrion v1.1.0')), ORCHESTRION_COMPAT_VERSION);
});

test('orchestrion.tool.go imports: blank, named, plain, grouped, with comments', () => {
  const src = `// header "not/an/import"
//go:build tools

package tools

import _ "github.com/DataDog/orchestrion" // integration
import (
	_ "example.com/a" // integration
	named "example.com/b"
	/* skipped "example.com/nope" */ "example.com/c"
	. \`example.com/d\`
)
`;
  assert.deepEqual(toolGoImports(src, 'orchestrion.tool.go'), ['github.com/DataDog/orchestrion', 'example.com/a', 'example.com/b', 'example.com/c', 'example.com/d']);
});

test('the built-in aspects are valid configuration', () => {
  assert.deepEqual(schemaErrors({ meta: { name: 'built-in', description: 'd' }, aspects: BUILTIN_ASPECTS }), []);
});

test('merge keys work inside an advice, as in Orchestrion', () => {
  const text = `x: &t { template: println("x") }\naspects:\n  - id: a\n    join-point: { directive: d }\n    advice: [ { prepend-statements: { <<: *t, imports: { fmt: fmt } } } ]\n`;
  assert.deepEqual(parseConfigYAML('/m/orchestrion.yml', text).aspects[0]!.aspect.advice, [{ 'prepend-statements': { template: 'println("x")', imports: { fmt: 'fmt' } } }]);
});
