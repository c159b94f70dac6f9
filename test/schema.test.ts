// The JSON Schema of orchestrion.yml (src/config/schema.json): it must accept and reject the same
// documents as Orchestrion's own schema. Checked here on small documents for every join point and
// advice kind, on the conformance cases' aspects, and (opt-in, slow) on every orchestrion.yml that
// dd-trace-go v2 ships.
//
// Environment:
//   ORCHESTRION_TEST_DDTRACE=1          also validate dd-trace-go v2's files, fetched with the go
//                                       command (module github.com/DataDog/dd-trace-go/orchestrion/all/v2@latest)
//   ORCHESTRION_TEST_DDTRACE_DIR=<dir>  with the above: read them from a dd-trace-go source tree instead
//   ORCHESTRION_REFERENCE_SCHEMA=<file> also validate every document against this schema (e.g. Orchestrion's
//                                       schema.json) and require the same verdict
import assert from 'node:assert/strict';
import { jsonStream } from '../src/config/injectables.ts';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYAML } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_FILE = path.join(ROOT, 'src', 'config', 'schema.json');

const JOIN_POINTS = [
  'all-of', 'configuration', 'declaration-of', 'directive', 'function-body', 'function', 'function-call',
  'import-path', 'method-call', 'not', 'one-of', 'package-name', 'package-filter', 'struct-definition',
  'struct-literal', 'test-main', 'value-declaration',
];
const FUNCTION_OPTIONS = [
  'name', 'receiver', 'signature', 'signature-contains', 'result-implements', 'final-result-implements',
  'argument-implements',
];
const ADVICE = [
  'assign-value', 'prepend-statements', 'append-args', 'replace-function', 'add-blank-import',
  'inject-declarations', 'add-struct-field', 'wrap-expression',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Doc = { [key: string]: Json };

const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as { [key: string]: unknown };
// Strict mode catches misspelt keywords and keywords that do not apply to the declared type.
// strictRequired is off: the top-level anyOf names "aspects"/"extends", which are declared one level up.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validate: ValidateFunction = ajv.compile(schema);

const REFERENCE_FILE = process.env.ORCHESTRION_REFERENCE_SCHEMA;
let reference: ValidateFunction | undefined;
if (REFERENCE_FILE) {
  // Orchestrion's schema nests non-schema groups under $defs, which strict mode refuses.
  const refAjv = new Ajv2020({ allErrors: true, strict: false });
  reference = refAjv.compile(JSON.parse(fs.readFileSync(REFERENCE_FILE, 'utf8')));
}

interface Verdict {
  valid: boolean;
  errors: ErrorObject[];
}

/** Validates a document; with a reference schema configured, also requires the same verdict from it. */
function check(doc: unknown): Verdict {
  const valid = validate(doc);
  const errors = validate.errors ? [...validate.errors] : [];
  if (reference) {
    const expected = reference(doc);
    assert.equal(valid, expected, `reference schema says ${expected ? 'valid' : 'invalid'} for ${JSON.stringify(doc)}`);
  }
  return { valid, errors };
}

function describeErrors(errors: ErrorObject[]): string {
  return errors.slice(0, 8).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`).join('; ');
}

function assertValid(doc: unknown, what: string): void {
  const v = check(doc);
  assert.ok(v.valid, `${what} should be valid: ${describeErrors(v.errors)}`);
}

/** Requires rejection; `at` is the instance path (JSON pointer) one of the errors must point at. */
function assertInvalid(doc: unknown, what: string, at: string): void {
  const v = check(doc);
  assert.ok(!v.valid, `${what} should be rejected`);
  assert.ok(
    v.errors.some((e) => e.instancePath === at),
    `${what}: expected an error at ${at}, got ${describeErrors(v.errors)}`,
  );
}

const META = { name: 'test', description: 'schema test' };

function docOf(aspects: Json[]): Doc {
  return { meta: META, aspects };
}

const SIMPLE_ADVICE: Json = { 'add-blank-import': 'example.com/pkg' };
const SIMPLE_JOIN_POINT: Json = { 'import-path': 'example.com/pkg' };

function withJoinPoint(jp: Json): Doc {
  return docOf([{ id: 'jp', 'join-point': jp, advice: [SIMPLE_ADVICE] }]);
}

function withAdvice(advice: Json): Doc {
  return docOf([{ id: 'advice', 'join-point': SIMPLE_JOIN_POINT, advice: [advice] }]);
}

const JP_AT = '/aspects/0/join-point';
const ADVICE_AT = '/aspects/0/advice/0';

// ---------------------------------------------------------------------------------------------
// The schema itself

test('the schema compiles in strict mode and has a definition for every join point, function option and advice kind', () => {
  const defs = schema.$defs as { [key: string]: { propertyNames?: { enum?: string[] } } };
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  for (const [group, names] of [['join-point', JOIN_POINTS], ['function-option', FUNCTION_OPTIONS], ['advice', ADVICE]] as const) {
    assert.deepEqual([...(defs[group]?.propertyNames?.enum ?? [])].sort(), [...names].sort(), `${group} kinds`);
    for (const name of names) assert.ok(defs[`${group}.${name}`], `$defs["${group}.${name}"]`);
  }
  assert.equal(JOIN_POINTS.length, 17);
  assert.equal(ADVICE.length, 8);
});

// ---------------------------------------------------------------------------------------------
// (a) Valid documents

const VALID_JOIN_POINTS: Array<[string, Json]> = [
  ['all-of', { 'all-of': [{ 'import-path': 'net/http' }, { 'function-body': { function: [{ name: 'ServeHTTP' }] } }] }],
  ['all-of, nested', { 'all-of': [{ 'package-name': 'main' }, { 'one-of': [{ 'test-main': true }, { directive: 'x:y' }] }, { not: { 'test-main': false } }] }],
  ['configuration', { configuration: { httpmode: 'wrap' } }],
  ['configuration, several keys', { configuration: { httpmode: 'wrap', other: '' } }],
  ['declaration-of', { 'declaration-of': 'github.com/DataDog/orchestrion/runtime/built.WithOrchestrion' }],
  ['declaration-of, unicode name', { 'declaration-of': 'example.com/p.Größe' }],
  ['directive', { directive: 'dd:span' }],
  ['directive, any text with a word character', { directive: ' dd span! ' }],
  ['function-body', { 'function-body': { function: [{ name: 'main' }] } }],
  ['function-body, any join point inside', { 'function-body': { directive: 'dd:span' } }],
  ['function: name', { function: [{ name: 'Handle' }] }],
  ['function: empty name (function literals)', { function: [{ name: '' }] }],
  ['function: receiver type', { function: [{ receiver: '*example.com/pkg.Server' }] }],
  ['function: receiver unqualified', { function: [{ receiver: 'Server' }] }],
  ['function: receiver true', { function: [{ receiver: true }] }],
  ['function: receiver false', { function: [{ receiver: false }] }],
  ['function: signature', { function: [{ signature: { args: ['context.Context', '*net/http.Request'], returns: ['error'] } }] }],
  ['function: empty signature', { function: [{ signature: {} }] }],
  ['function: signature-contains', { function: [{ 'signature-contains': { args: ['context.Context'] } }] }],
  ['function: signature-contains returns', { function: [{ 'signature-contains': { returns: ['error'], args: [] } }] }],
  ['function: result-implements', { function: [{ 'result-implements': 'error' }] }],
  ['function: final-result-implements', { function: [{ 'final-result-implements': 'io.Reader' }] }],
  ['function: argument-implements', { function: [{ 'argument-implements': 'context.Context' }] }],
  ['function: several options', { function: [{ name: 'Do' }, { receiver: '*net/http.Client' }, { signature: { args: ['*net/http.Request'] } }] }],
  ['function-call', { 'function-call': 'net/http.Get' }],
  ['function-call, bare name', { 'function-call': 'panic' }],
  ['import-path', { 'import-path': 'github.com/go-chi/chi/v5' }],
  ['method-call', { 'method-call': { receiver: 'go.uber.org/zap.Logger', name: 'Info' } }],
  ['method-call, match', { 'method-call': { receiver: 'net/http.Client', name: 'Do', match: 'pointer-only' } }],
  ['method-call, match value-only', { 'method-call': { receiver: 'net/http.Client', name: 'Do', match: 'value-only' } }],
  ['not', { not: { directive: 'dd:ignore' } }],
  ['one-of', { 'one-of': [{ 'function-call': 'a.B' }, { 'function-call': 'a.C' }] }],
  ['package-name', { 'package-name': 'main' }],
  ['package-filter, string', { 'package-filter': 'github.com/myorg/**' }],
  ['package-filter, pattern', { 'package-filter': { pattern: 'internal/*' } }],
  ['package-filter, pattern and root', { 'package-filter': { pattern: 'internal/*', root: true } }],
  ['package-filter, pattern and root false', { 'package-filter': { pattern: 'x', root: false } }],
  ['package-filter, root only', { 'package-filter': { root: true } }],
  ['struct-definition', { 'struct-definition': 'example.com/pkg.Config' }],
  ['struct-literal', { 'struct-literal': { type: 'net/http.Server' } }],
  ['struct-literal, match', { 'struct-literal': { type: 'net/http.Server', match: 'pointer-only' } }],
  ['struct-literal, field', { 'struct-literal': { type: 'net/http.Server', field: 'Handler' } }],
  ['test-main', { 'test-main': true }],
  ['value-declaration', { 'value-declaration': 'bool' }],
  ['value-declaration, pointer', { 'value-declaration': '*example.com/pkg.T' }],
  ['value-declaration, interface{}', { 'value-declaration': 'interface{}' }],
];

const VALID_ADVICE: Array<[string, Json]> = [
  ['assign-value', { 'assign-value': { template: 'true' } }],
  ['assign-value, imports and lang', { 'assign-value': { template: 'pkg.V', imports: { pkg: 'example.com/pkg' }, lang: 'go1.22' } }],
  ['prepend-statements', { 'prepend-statements': { template: 'fmt.Println()', imports: { fmt: 'fmt' } } }],
  ['prepend-statements, order and namespace', { 'prepend-statements': { template: 'x()', order: -10, namespace: 'tracing' } }],
  ['prepend-statements, empty namespace', { 'prepend-statements': { template: 'x()', namespace: '', order: 0 } }],
  ['append-args', { 'append-args': { type: 'net/http.RoundTripper', values: [{ template: 'rt()' }] } }],
  ['append-args, several values', { 'append-args': { type: '*example.com/pkg.Option', values: [{ template: 'a()', imports: { pkg: 'example.com/pkg' } }, { template: 'b()', lang: 'go1.21' }] } }],
  ['append-args, any', { 'append-args': { type: 'any', values: [{ template: 'nil' }] } }],
  ['replace-function', { 'replace-function': 'example.com/mypkg.Get' }],
  ['replace-function, bare name', { 'replace-function': 'myGet' }],
  ['add-blank-import', { 'add-blank-import': 'github.com/DataDog/dd-trace-go/v2/profiler' }],
  ['inject-declarations', { 'inject-declarations': { template: 'func f() {}' } }],
  ['inject-declarations, links and lang', { 'inject-declarations': { template: '//go:linkname f example.com/other.f\nfunc f()', links: ['example.com/other', 'example.com/more'], lang: 'go1.21', imports: {} } }],
  ['add-struct-field', { 'add-struct-field': { name: '__dd_span', type: '*example.com/pkg.Span' } }],
  ['add-struct-field, builtin type', { 'add-struct-field': { name: 'n', type: 'int' } }],
  ['wrap-expression', { 'wrap-expression': { template: 'instrument.Wrap({{ . }})', imports: { instrument: 'example.com/instrument' } } }],
];

test('(a) every join point kind is accepted', async (t) => {
  const seen = new Set<string>();
  for (const [label, jp] of VALID_JOIN_POINTS) {
    seen.add(Object.keys(jp as object)[0]!);
    await t.test(label, () => assertValid(withJoinPoint(jp), label));
  }
  assert.deepEqual([...seen].sort(), [...JOIN_POINTS].sort(), 'a valid example for each join point kind');
});

test('(a) every advice kind is accepted', async (t) => {
  const seen = new Set<string>();
  for (const [label, advice] of VALID_ADVICE) {
    seen.add(Object.keys(advice as object)[0]!);
    await t.test(label, () => assertValid(withAdvice(advice), label));
  }
  assert.deepEqual([...seen].sort(), [...ADVICE].sort(), 'a valid example for each advice kind');
});

test('(a) top level and aspect shapes are accepted', async (t) => {
  const aspect = { id: 'a', 'join-point': SIMPLE_JOIN_POINT, advice: [SIMPLE_ADVICE] };
  const cases: Array<[string, Doc]> = [
    ['extends only', { meta: META, extends: ['./other.yml'] }],
    ['extends a directory, parent-relative', { meta: META, extends: ['../contrib/net/http'] }],
    ['extends with a backslash', { meta: META, extends: ['.\\windows\\style.yml'] }],
    ['aspects and extends', { meta: META, extends: ['./a.yml', '../b'], aspects: [aspect] }],
    ['meta with icon and caveats', { meta: { ...META, icon: 'cog', caveats: 'Only *net/http.Client.' }, aspects: [aspect] }],
    ['tracer-internal aspect', docOf([{ ...aspect, 'tracer-internal': true }])],
    ['several advice', docOf([{ ...aspect, advice: [SIMPLE_ADVICE, { 'add-blank-import': 'unsafe' }] }])],
    ['several aspects with the same id', docOf([aspect, aspect])],
  ];
  for (const [label, doc] of cases) await t.test(label, () => assertValid(doc, label));
});

// ---------------------------------------------------------------------------------------------
// (b) Invalid documents

const INVALID_JOIN_POINTS: Array<[string, Json, string]> = [
  // [label, join point, where an error must point (relative to the join point)]
  ['unknown join point', { 'function-bod': { function: [{ name: 'x' }] } }, ''],
  ['two join points in one mapping', { 'import-path': 'a', 'package-name': 'b' }, ''],
  ['empty mapping', {}, ''],
  ['join point as a string', 'import-path', ''],
  ['join point as a list', [{ 'import-path': 'a' }], ''],
  ['all-of with one element', { 'all-of': [{ 'import-path': 'a' }] }, '/all-of'],
  ['one-of empty', { 'one-of': [] }, '/one-of'],
  ['all-of with an invalid member', { 'all-of': [{ 'import-path': 'a' }, { 'import-pth': 'b' }] }, '/all-of/1'],
  ['not with a list', { not: [{ 'import-path': 'a' }] }, '/not'],
  ['not with a function option', { not: { receiver: true } }, '/not'],
  ['configuration empty', { configuration: {} }, '/configuration'],
  ['configuration non-string value', { configuration: { httpmode: 1 } }, '/configuration/httpmode'],
  ['declaration-of without a path', { 'declaration-of': 'WithOrchestrion' }, '/declaration-of'],
  ['declaration-of with a bad name', { 'declaration-of': 'example.com/p.1x' }, '/declaration-of'],
  ['directive empty', { directive: '' }, '/directive'],
  ['directive without a word character', { directive: '!! --' }, '/directive'],
  ['directive not a string', { directive: true }, '/directive'],
  ['function with no options', { function: [] }, '/function'],
  ['function option with two keys', { function: [{ name: 'a', receiver: true }] }, '/function/0'],
  ['unknown function option', { function: [{ nam: 'a' }] }, '/function/0'],
  ['function name not an identifier', { function: [{ name: 'my-func' }] }, '/function/0/name'],
  ['function receiver a number', { function: [{ receiver: 1 }] }, '/function/0/receiver'],
  ['function receiver pointer without a path', { function: [{ receiver: '*Server' }] }, '/function/0/receiver'],
  ['signature with unknown key', { function: [{ signature: { params: ['int'] } }] }, '/function/0/signature'],
  ['signature args not a list', { function: [{ signature: { args: 'int' } }] }, '/function/0/signature/args'],
  ['signature with a slice type', { function: [{ signature: { args: ['[]byte'] } }] }, '/function/0/signature/args/0'],
  ['signature-contains with a pointer without path', { function: [{ 'signature-contains': { returns: ['*T'] } }] }, '/function/0/signature-contains/returns/0'],
  ['result-implements empty', { function: [{ 'result-implements': '' }] }, '/function/0/result-implements'],
  ['final-result-implements not a string', { function: [{ 'final-result-implements': ['error'] }] }, '/function/0/final-result-implements'],
  ['argument-implements with a trailing dot', { function: [{ 'argument-implements': 'context.' }] }, '/function/0/argument-implements'],
  ['function-call with a trailing dot', { 'function-call': 'net/http.' }, '/function-call'],
  ['import-path empty', { 'import-path': '' }, '/import-path'],
  ['method-call without name', { 'method-call': { receiver: 'net/http.Client' } }, '/method-call'],
  ['method-call with unknown match', { 'method-call': { receiver: 'net/http.Client', name: 'Do', match: 'both' } }, '/method-call/match'],
  ['method-call with unknown key', { 'method-call': { receiver: 'net/http.Client', name: 'Do', kind: 'x' } }, '/method-call'],
  ['package-name not an identifier', { 'package-name': 'my-pkg' }, '/package-name'],
  ['package-filter empty string', { 'package-filter': '' }, '/package-filter'],
  ['package-filter empty mapping', { 'package-filter': {} }, '/package-filter'],
  ['package-filter root false without pattern', { 'package-filter': { root: false } }, '/package-filter'],
  ['package-filter empty pattern', { 'package-filter': { pattern: '', root: true } }, '/package-filter/pattern'],
  ['package-filter root not a boolean', { 'package-filter': { pattern: 'x', root: 'yes' } }, '/package-filter/root'],
  ['package-filter unknown key', { 'package-filter': { pattern: 'x', module: 'y' } }, '/package-filter'],
  ['struct-definition not a string', { 'struct-definition': 1 }, '/struct-definition'],
  ['struct-literal with field and match', { 'struct-literal': { type: 'a.T', field: 'F', match: 'any' } }, '/struct-literal'],
  ['struct-literal without type', { 'struct-literal': { field: 'F' } }, '/struct-literal'],
  ['struct-literal with unknown match', { 'struct-literal': { type: 'a.T', match: 'ptr' } }, '/struct-literal/match'],
  ['test-main as a string', { 'test-main': 'true' }, '/test-main'],
  ['value-declaration with a map type', { 'value-declaration': 'map[string]int' }, '/value-declaration'],
  ['value-declaration null', { 'value-declaration': null }, '/value-declaration'],
  ['nested error inside function-body', { 'function-body': { function: [{ name: 1 }] } }, '/function-body/function/0/name'],
];

const INVALID_ADVICE: Array<[string, Json, string]> = [
  ['unknown advice', { 'prepend-statement': { template: 'x()' } }, ''],
  ['two advice in one mapping', { 'add-blank-import': 'a', 'replace-function': 'b.C' }, ''],
  ['advice as a string', 'add-blank-import', ''],
  ['template as a plain string', { 'assign-value': 'true' }, '/assign-value'],
  ['template missing', { 'wrap-expression': { imports: { fmt: 'fmt' } } }, '/wrap-expression'],
  ['template empty', { 'prepend-statements': { template: '' } }, '/prepend-statements/template'],
  ['template not a string', { 'assign-value': { template: true } }, '/assign-value/template'],
  ['links on a template other than inject-declarations', { 'assign-value': { template: 'x', links: ['a'] } }, '/assign-value'],
  ['order on a template other than prepend-statements', { 'wrap-expression': { template: 'x', order: 1 } }, '/wrap-expression'],
  ['lang without minor version', { 'assign-value': { template: 'x', lang: 'go1' } }, '/assign-value/lang'],
  ['lang without the go prefix', { 'assign-value': { template: 'x', lang: '1.22' } }, '/assign-value/lang'],
  ['lang with a patch version', { 'assign-value': { template: 'x', lang: 'go1.22.1' } }, '/assign-value/lang'],
  ['import name not an identifier', { 'wrap-expression': { template: 'x', imports: { 'my-pkg': 'x' } } }, '/wrap-expression/imports'],
  ['import path empty', { 'wrap-expression': { template: 'x', imports: { fmt: '' } } }, '/wrap-expression/imports/fmt'],
  ['imports as a list', { 'wrap-expression': { template: 'x', imports: ['fmt'] } }, '/wrap-expression/imports'],
  ['prepend-statements fractional order', { 'prepend-statements': { template: 'x()', order: 1.5 } }, '/prepend-statements/order'],
  ['prepend-statements namespace not a string', { 'prepend-statements': { template: 'x()', namespace: 1 } }, '/prepend-statements/namespace'],
  ['append-args without values', { 'append-args': { type: 'any', values: [] } }, '/append-args/values'],
  ['append-args without type', { 'append-args': { values: [{ template: 'x' }] } }, '/append-args'],
  ['append-args slice type', { 'append-args': { type: '[]int', values: [{ template: 'x' }] } }, '/append-args/type'],
  ['append-args value with unknown key', { 'append-args': { type: 'any', values: [{ template: 'x', order: 1 }] } }, '/append-args/values/0'],
  ['replace-function empty', { 'replace-function': '' }, '/replace-function'],
  ['add-blank-import empty', { 'add-blank-import': '' }, '/add-blank-import'],
  ['inject-declarations duplicate links', { 'inject-declarations': { template: 'x', links: ['a', 'a'] } }, '/inject-declarations/links'],
  ['inject-declarations empty link', { 'inject-declarations': { template: 'x', links: [''] } }, '/inject-declarations/links/0'],
  ['inject-declarations links as a string', { 'inject-declarations': { template: 'x', links: 'a' } }, '/inject-declarations/links'],
  ['add-struct-field without type', { 'add-struct-field': { name: 'f' } }, '/add-struct-field'],
  ['add-struct-field name not an identifier', { 'add-struct-field': { name: '1f', type: 'int' } }, '/add-struct-field/name'],
  ['add-struct-field unknown key', { 'add-struct-field': { name: 'f', type: 'int', tag: 'json:"f"' } }, '/add-struct-field'],
];

test('(b) invalid join points are rejected', async (t) => {
  for (const [label, jp, at] of INVALID_JOIN_POINTS) {
    await t.test(label, () => assertInvalid(withJoinPoint(jp), label, JP_AT + at));
  }
});

test('(b) invalid advice is rejected', async (t) => {
  for (const [label, advice, at] of INVALID_ADVICE) {
    await t.test(label, () => assertInvalid(withAdvice(advice), label, ADVICE_AT + at));
  }
});

test('(b) invalid top level and aspect shapes are rejected', async (t) => {
  const aspect = { id: 'a', 'join-point': SIMPLE_JOIN_POINT, advice: [SIMPLE_ADVICE] };
  const cases: Array<[string, unknown, string]> = [
    ['empty aspects', { meta: META, aspects: [] }, '/aspects'],
    ['empty extends', { meta: META, extends: [] }, '/extends'],
    ['neither aspects nor extends', { meta: META }, ''],
    ['no meta', { aspects: [aspect] }, ''],
    ['meta without description', { meta: { name: 'x' }, aspects: [aspect] }, '/meta'],
    ['meta with empty name', { meta: { ...META, name: '' }, aspects: [aspect] }, '/meta/name'],
    ['meta with unknown icon', { meta: { ...META, icon: 'rocket' }, aspects: [aspect] }, '/meta/icon'],
    ['meta with empty caveats', { meta: { ...META, caveats: '' }, aspects: [aspect] }, '/meta/caveats'],
    ['meta with unknown key', { meta: { ...META, version: '1' }, aspects: [aspect] }, '/meta'],
    ['unknown top-level key', { meta: META, aspects: [aspect], aspect: [] }, ''],
    ['aspects as a mapping', { meta: META, aspects: { a: aspect } }, '/aspects'],
    ['extends not relative', { meta: META, extends: ['other.yml'] }, '/extends/0'],
    ['extends absolute', { meta: META, extends: ['/etc/orchestrion.yml'] }, '/extends/0'],
    ['extends three dots', { meta: META, extends: ['.../x.yml'] }, '/extends/0'],
    ['extends to nothing', { meta: META, extends: ['./'] }, '/extends/0'],
    ['not a mapping', [aspect], ''],
    ['aspect without id', docOf([{ 'join-point': SIMPLE_JOIN_POINT, advice: [SIMPLE_ADVICE] }]), '/aspects/0'],
    ['aspect with empty id', docOf([{ ...aspect, id: '' }]), '/aspects/0/id'],
    ['aspect without join-point', docOf([{ id: 'a', advice: [SIMPLE_ADVICE] }]), '/aspects/0'],
    ['aspect without advice', docOf([{ id: 'a', 'join-point': SIMPLE_JOIN_POINT }]), '/aspects/0'],
    ['aspect with empty advice', docOf([{ ...aspect, advice: [] }]), '/aspects/0/advice'],
    ['aspect with one advice mapping instead of a list', docOf([{ ...aspect, advice: SIMPLE_ADVICE }]), '/aspects/0/advice'],
    ['aspect with unknown key', docOf([{ ...aspect, order: 1 }]), '/aspects/0'],
    ['tracer-internal not a boolean', docOf([{ ...aspect, 'tracer-internal': 'yes' }]), '/aspects/0/tracer-internal'],
  ];
  for (const [label, doc, at] of cases) await t.test(label, () => assertInvalid(doc, label, at));
});

// ---------------------------------------------------------------------------------------------
// (c) The conformance cases' aspects

function findShared(): string | undefined {
  for (const dir of [path.resolve(ROOT, '..', 'shared'), '/work/shared']) {
    if (fs.existsSync(path.join(dir, 'conformance', 'injector'))) return dir;
  }
  return undefined;
}
const SHARED = findShared();

// Cases whose aspects Orchestrion's schema rejects too (its injector tests decode aspects without
// validating them): case name -> instance path of the expected error.
const CONFORMANCE_REJECTED: { [name: string]: string } = {
  // all-of with a single member: the decoder unwraps it, the schema wants at least two.
  'name-conflict': '/aspects/0/join-point/function-body/all-of',
};

test('(c) the aspects of every conformance case validate', { skip: SHARED ? false : 'shared/conformance is absent' }, async (t) => {
  const dir = path.join(SHARED!, 'conformance', 'injector');
  const cases = fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'config.yml'))).sort();
  assert.ok(cases.length > 0, 'no conformance cases found');
  for (const name of cases) {
    await t.test(name, () => {
      const config = parseYAML(fs.readFileSync(path.join(dir, name, 'config.yml'), 'utf8')) as { aspects: Array<{ [key: string]: Json }> };
      assert.ok(Array.isArray(config.aspects), 'config.yml has aspects');
      // The cases' aspects often have no id, which the schema requires: give them one.
      const aspects = config.aspects.map((a, i) => ('id' in a ? a : { id: `${name}[${i}]`, ...a }));
      const doc = { meta: { name, description: `conformance case ${name}` }, aspects };
      const rejectedAt = CONFORMANCE_REJECTED[name];
      if (rejectedAt === undefined) assertValid(doc, name);
      else assertInvalid(doc, name, rejectedAt);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// (d) dd-trace-go v2's configuration files (opt-in: downloads many modules)

const DDTRACE = process.env.ORCHESTRION_TEST_DDTRACE === '1';
const DDTRACE_DIR = process.env.ORCHESTRION_TEST_DDTRACE_DIR;
const DDTRACE_ALL = 'github.com/DataDog/dd-trace-go/orchestrion/all/v2';
const DDTRACE_PREFIX = 'github.com/DataDog/dd-trace-go/';

/** Runs the go command; a non-zero exit throws unless `tolerateFailure` (then stdout is still returned). */
function goCommand(args: string[], cwd: string, tolerateFailure = false): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' };
  const r = spawnSync('go', args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0 && !tolerateFailure) throw new Error(`go ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** The concatenated JSON objects that `go list -m -json` and `go mod download -json` print. */
function jsonObjects(text: string): Array<{ [key: string]: unknown }> {
  return [...jsonStream(text)] as Array<{ [key: string]: unknown }>;
}

/** Module directories of every dd-trace-go module needed by orchestrion/all/v2@latest, via the go command. */
function ddTraceModuleDirs(): string[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-schema-ddtrace-'));
  try {
    goCommand(['mod', 'init', 'x'], work);
    try {
      goCommand(['get', `${DDTRACE_ALL}@latest`], work);
    } catch (err) {
      throw new Error(
        `could not get ${DDTRACE_ALL} from the module proxy; set ORCHESTRION_TEST_DDTRACE_DIR to a dd-trace-go source tree to check one instead.\n${(err as Error).message}`,
      );
    }
    const modules = jsonObjects(goCommand(['list', '-m', '-json', 'all'], work))
      .map((m) => m.Path as string)
      .filter((p) => p.startsWith(DDTRACE_PREFIX));
    assert.ok(modules.length > 0, 'no dd-trace-go module in the build list');
    // The build list may name modules whose source was not needed to resolve the imports: download them all.
    // It reports failures per module in its JSON output, so read that even when it exits non-zero.
    const downloaded = jsonObjects(goCommand(['mod', 'download', '-json', ...modules], work, true));
    const dirs: string[] = [];
    for (const m of downloaded) {
      if (typeof m.Error === 'string') throw new Error(`go mod download ${String(m.Path)}: ${m.Error}`);
      if (typeof m.Dir === 'string') dirs.push(m.Dir);
    }
    assert.equal(dirs.length, modules.length, `go mod download gave ${dirs.length} directories for ${modules.length} modules`);
    return dirs.sort();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Every configuration file under the given roots: files named orchestrion.yml in directories the go
 * command would treat as packages (not under a directory whose name starts with '.' or '_', nor
 * testdata), plus the files and directories they reach through `extends`.
 */
function configFiles(roots: string[]): string[] {
  const found = new Set<string>();
  const queue: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!/^[._]/.test(entry.name) && entry.name !== 'testdata') walk(full);
      } else if (entry.name === 'orchestrion.yml') queue.push(full);
    }
  };
  roots.forEach(walk);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (found.has(file)) continue;
    found.add(file);
    const doc = parseYAML(fs.readFileSync(file, 'utf8')) as { extends?: unknown } | null;
    if (!doc || !Array.isArray(doc.extends)) continue;
    for (const rel of doc.extends) {
      if (typeof rel !== 'string') continue;
      const target = path.resolve(path.dirname(file), rel);
      if (!fs.existsSync(target)) assert.fail(`${file}: extends ${rel}: ${target} does not exist`);
      queue.push(fs.statSync(target).isDirectory() ? path.join(target, 'orchestrion.yml') : target);
    }
  }
  return [...found].filter((f) => fs.existsSync(f)).sort();
}

test('(d) every orchestrion.yml of dd-trace-go v2 validates', {
  skip: DDTRACE ? false : 'set ORCHESTRION_TEST_DDTRACE=1 to check dd-trace-go (downloads many modules)',
  timeout: 60 * 60 * 1000,
}, (t) => {
  const roots = DDTRACE_DIR ? [path.resolve(DDTRACE_DIR)] : ddTraceModuleDirs();
  const files = configFiles(roots);
  assert.ok(files.length > 0, `no orchestrion.yml found under ${roots.join(', ')}`);
  let aspects = 0;
  const failures: string[] = [];
  for (const file of files) {
    const doc = parseYAML(fs.readFileSync(file, 'utf8')) as unknown;
    const n = (doc as { aspects?: unknown[] } | null)?.aspects;
    if (Array.isArray(n)) aspects += n.length;
    const v = check(doc);
    if (!v.valid) failures.push(`${file}: ${describeErrors(v.errors)}`);
  }
  t.diagnostic(`${files.length} files from ${roots.length} module director${roots.length === 1 ? 'y' : 'ies'}, ${aspects} aspects`);
  assert.deepEqual(failures, []);
});
