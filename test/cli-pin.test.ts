// `orchestrion pin`, `lint` and `version` through bin/orchestrion, with real go commands in
// temporary modules (the module cache is the machine's; GOCACHE is this file's own).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { normalizeBoolFlags } from '../src/commands/single-dash.ts';
import { compareSemver } from '../src/pin/semver.ts';
import { DEFAULT_TOOL_FILE, ToolFile, generateDirective } from '../src/pin/toolfile.ts';
import { BIN, ROOT, describeResult, goEnv, run, tempDir, type Result } from './helpers.ts';

const gocache = tempDir('gocache-pin');
const env = goEnv(gocache);
const PIN_TIMEOUT = 600_000;

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
const read = (file: string) => fs.readFileSync(file, 'utf8');
const orchestrion = (cwd: string, ...args: string[]): Result => run(BIN, args, { cwd, env, timeoutMs: PIN_TIMEOUT });
const go = (cwd: string, ...args: string[]): Result => run('go', args, { cwd, env, timeoutMs: PIN_TIMEOUT });
function ok(r: Result): Result {
  assert.equal(r.code, 0, describeResult(r));
  return r;
}

/** A module with a main package and nothing else. */
function freshModule(): string {
  const dir = tempDir('pin-app');
  write(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  write(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  return dir;
}

interface GoModJSON {
  Go: string;
  Toolchain?: string;
  Require?: { Path: string; Version: string; Indirect?: boolean }[];
}
const goModJSON = (dir: string): GoModJSON => JSON.parse(ok(go(dir, 'mod', 'edit', '-json')).stdout) as GoModJSON;
const direct = (mod: GoModJSON) => new Map((mod.Require ?? []).filter((r) => !r.Indirect).map((r) => [r.Path, r.Version]));

// What Orchestrion's pin writes into a module that had no orchestrion.tool.go.
const PINNED_TOOL_FILE = `// This file was created by \`orchestrion pin\`, and is used to ensure the
// \`go.mod\` file contains the necessary entries to ensure repeatable builds when
// using \`orchestrion\`. It is also used to set up which integrations are enabled.

//go:build tools

//go:generate go run github.com/DataDog/orchestrion pin -generate

package tools

// Imports in this file determine which tracer integrations are enabled in
// orchestrion. New integrations can be automatically discovered by running
// \`orchestrion pin\` again. You can also manually add new imports here to
// enable additional integrations. When doing so, you can run \`orchestrion pin\`
// to make sure manually added integrations are valid (i.e, the imported package
// includes a valid \`orchestrion.yml\` file).
import (
	// Ensures \`orchestrion\` is present in \`go.mod\` so that builds are repeatable.
	// Do not remove.
	_ "github.com/DataDog/orchestrion" // integration

	_ "github.com/DataDog/dd-trace-go/orchestrion/all/v2" // integration
)
`;

const fresh = freshModule();

test('pin on a fresh module writes orchestrion.tool.go in Orchestrion\'s layout, requires orchestrion and the integrations, and the module builds', () => {
  ok(orchestrion(fresh, 'pin'));
  assert.equal(read(path.join(fresh, 'orchestrion.tool.go')), PINNED_TOOL_FILE);
  const mod = goModJSON(fresh);
  const required = direct(mod);
  assert.equal(required.get('github.com/DataDog/orchestrion'), 'v1.12.0');
  assert.equal(required.get('github.com/DataDog/dd-trace-go/orchestrion/all/v2'), 'v2.6.0');
  assert.ok(compareSemver(`v${mod.Go}`, 'v1.23.0') >= 0, `go directive ${mod.Go}`);
  assert.equal(mod.Toolchain, undefined, 'no toolchain directive was left behind');
  assert.ok(fs.existsSync(path.join(fresh, 'go.sum')));
  ok(go(fresh, 'build', './...'));
  // go.mod and go.sum are tidy: nothing the tool file imports is missing.
  ok(go(fresh, 'mod', 'tidy', '-diff'));
});

test('pin a second time changes nothing', () => {
  const files = ['orchestrion.tool.go', 'go.mod', 'go.sum'].map((f) => path.join(fresh, f));
  const before = files.map((f) => fs.readFileSync(f));
  const mtime = fs.statSync(files[0]!).mtimeMs;
  const r = ok(orchestrion(fresh, 'pin'));
  assert.equal(r.stdout, '');
  files.forEach((f, i) => assert.ok(fs.readFileSync(f).equals(before[i]!), `${path.basename(f)} changed`));
  assert.equal(fs.statSync(files[0]!).mtimeMs, mtime, 'orchestrion.tool.go was rewritten');
});

test('pin keeps the imports of a user-edited orchestrion.tool.go; -prune=false reports, pin prunes, -validate checks the schema, -generate=false drops the directive', () => {
  const base = tempDir('pin-user');
  const integ = path.join(base, 'integ');
  write(path.join(integ, 'go.mod'), 'module example.com/integ\n\ngo 1.23\n');
  write(path.join(integ, 'http', 'http.go'), 'package http\n');
  write(
    path.join(integ, 'http', 'orchestrion.yml'),
    "meta: {name: integ-http, description: test}\naspects:\n  - id: hello\n    join-point:\n      function-body:\n        directive: 'demo:hello'\n    advice:\n      - prepend-statements:\n          template: println(\"hello\")\n",
  );
  write(path.join(integ, 'plain', 'plain.go'), 'package plain\n');
  // Only the JSON Schema rejects this one (no such advice kind): it is pruned under -validate only.
  write(path.join(integ, 'bad', 'bad.go'), 'package bad\n');
  write(path.join(integ, 'bad', 'orchestrion.yml'), "meta: {name: bad, description: test}\naspects:\n  - id: bad\n    join-point:\n      function-body:\n        directive: 'x'\n    advice:\n      - prepend-statement:\n          template: println()\n");
  const app = path.join(base, 'app');
  write(path.join(app, 'go.mod'), 'module example.com/app\n\ngo 1.23\n\nrequire example.com/integ v0.0.0\n\nreplace example.com/integ => ../integ\n');
  write(path.join(app, 'main.go'), 'package main\n\nfunc main() {}\n');
  const toolFile = path.join(app, 'orchestrion.tool.go');
  write(toolFile, '//go:build tools\n\n// Package tools lists our integrations.\npackage tools\n\nimport (\n\t_ "example.com/integ/bad"\n\t_ "example.com/integ/http"\n\t_ "example.com/integ/plain" // no config here\n)\n');
  const plainReason = '"example.com/integ/plain": there is no orchestrion.yml nor orchestrion.tool.go file in this package';

  let r = ok(orchestrion(app, 'pin', '-prune=false'));
  assert.equal(r.stdout, `unnecessary import of ${plainReason}\n`);
  let text = read(toolFile);
  assert.match(text, /^\/\/go:generate go run github\.com\/DataDog\/orchestrion pin -generate -prune=false$/m);
  assert.match(text, /^\t_ "example\.com\/integ\/http" +\/\/ integration$/m);
  assert.match(text, /^\t_ "example\.com\/integ\/plain"$/m, 'reported import kept, its comment dropped');
  assert.match(text, /^\t_ "github\.com\/DataDog\/orchestrion" +\/\/ integration$/m);
  assert.match(text, /^\t_ "github\.com\/DataDog\/dd-trace-go\/orchestrion\/all\/v2" +\/\/ integration$/m);
  assert.match(text, /^\/\/ Package tools lists our integrations\.$/m);

  r = ok(orchestrion(app, 'pin'));
  assert.equal(r.stdout, `removing unnecessary import of ${plainReason}\n`);
  text = read(toolFile);
  assert.doesNotMatch(text, /integ\/plain/);
  assert.match(text, /^\t_ "example\.com\/integ\/http" +\/\/ integration$/m);
  assert.match(text, /^\/\/go:generate go run github\.com\/DataDog\/orchestrion pin -generate$/m);
  assert.match(text, /^\t_ "example\.com\/integ\/bad" +\/\/ integration$/m);
  assert.equal(direct(goModJSON(app)).get('example.com/integ'), 'v0.0.0');

  r = ok(orchestrion(app, 'pin', '-validate'));
  assert.match(r.stdout, /^removing unnecessary import of "example\.com\/integ\/bad": .*bad\/orchestrion\.yml:8:9: aspect "bad": advice\.0: .*prepend-statement/);
  text = read(toolFile);
  assert.doesNotMatch(text, /integ\/bad/);
  assert.match(text, /^\/\/go:generate go run github\.com\/DataDog\/orchestrion pin -generate -validate$/m);

  ok(orchestrion(app, 'pin', '--generate=false'));
  text = read(toolFile);
  assert.doesNotMatch(text, /go:generate/);
  assert.match(text, /^\t_ "example\.com\/integ\/http" +\/\/ integration$/m);
  ok(go(app, 'build', './...'));
});

test('pin outside a module, or on an orchestrion.tool.go that does not parse, fails with a clear message', () => {
  const outside = tempDir('pin-nomod');
  let r = orchestrion(outside, 'pin');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /getting GOMOD: .*`go env GOMOD` returned a blank string/);

  const broken = freshModule();
  write(path.join(broken, 'orchestrion.tool.go'), '');
  r = orchestrion(broken, 'pin');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /orchestrion\.tool\.go: expected 'package', found 'EOF'/);
  write(path.join(broken, 'orchestrion.tool.go'), 'package tools\n\nimport (\n\t_ "x"\n');
  r = orchestrion(broken, 'pin');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /orchestrion\.tool\.go:4:8: expected '\)', found 'EOF'/);
  assert.equal(read(path.join(broken, 'go.mod')), 'module example.com/app\n\ngo 1.22\n', 'go.mod untouched');
});

/** A module whose configuration is an orchestrion.yml next to a tool file importing orchestrion. */
function configuredModule(yml: string): string {
  const dir = freshModule();
  write(path.join(dir, 'orchestrion.tool.go'), '//go:build tools\n\npackage tools\n\nimport _ "github.com/DataDog/orchestrion"\n');
  write(path.join(dir, 'orchestrion.yml'), yml);
  ok(go(dir, 'mod', 'edit', '-require=github.com/DataDog/orchestrion@v1.12.0'));
  ok(go(dir, 'mod', 'tidy'));
  return dir;
}
const aspect = (advice: string) =>
  `meta: {name: app, description: test}\naspects:\n  - id: timed\n    join-point:\n      function-body:\n        directive: 'demo:timed'\n    advice:\n${advice}`;

test('lint passes on a valid configuration and fails with file:line:col on a broken orchestrion.yml', () => {
  const dir = configuredModule(aspect('      - prepend-statements:\n          imports: { fmt: fmt }\n          template: fmt.Println("in", {{ printf "%q" .Function.Name }})\n'));
  let r = ok(orchestrion(dir, 'lint'));
  assert.equal(r.stdout, `${dir}: configuration is valid\n`);
  ok(orchestrion(path.dirname(dir), 'lint', `${path.basename(dir)}/...`));

  // Caught by the injector's decoder, as the build would: an advice kind that does not exist.
  write(path.join(dir, 'orchestrion.yml'), aspect('      - prepend-statement:\n          template: println()\n'));
  r = orchestrion(dir, 'lint');
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, new RegExp(`^${path.join(dir, 'orchestrion.yml')}:8:9: aspect "timed": advice\\[0\\]: unknown advice type: "prepend-statement"`, 'm'));

  // Caught by the injector: a template that does not parse.
  write(path.join(dir, 'orchestrion.yml'), aspect('      - prepend-statements:\n          template: println({{ .Function.Name )\n'));
  r = orchestrion(dir, 'lint');
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, new RegExp(`^${path.join(dir, 'orchestrion.yml')}:9:\\d+: aspect "timed": advice\\[0\\]\\.prepend-statements\\.template: `, 'm'));
});

test('lint of a module without configuration has nothing to check', () => {
  const dir = freshModule();
  const r = ok(orchestrion(dir, 'lint'));
  assert.equal(r.stdout, `${dir}: no orchestrion.tool.go nor orchestrion.yml: nothing to check\n`);
});

test('version prints "orchestrion v<version>", with -verbose the runtime; -static and --json work', () => {
  const version = (JSON.parse(read(path.join(ROOT, 'package.json'))) as { version: string }).version;
  const cwd = tempDir('version');
  assert.equal(ok(orchestrion(cwd, 'version')).stdout, `orchestrion v${version}\n`);
  assert.equal(ok(orchestrion(cwd, 'version', '-static')).stdout, `orchestrion v${version}\n`);
  for (const flag of ['-v', '-verbose', '--verbose']) {
    assert.match(ok(orchestrion(cwd, 'version', flag)).stdout, new RegExp(`^orchestrion v${version.replaceAll('.', '\\.')} built with node v\\d+\\.\\d+\\.\\d+ \\(\\w+/\\w+\\)\\n$`));
  }
  assert.deepEqual(Object.keys(JSON.parse(ok(orchestrion(cwd, 'version', '--json')).stdout) as object), ['version', 'node', 'platform']);
});

test('Go-style boolean flags become oclif flags', () => {
  assert.deepEqual(normalizeBoolFlags(['-prune=false', '--generate=0', '-validate', '-v', '-help', '--', '-prune'], ['prune', 'generate', 'validate']), [
    '--no-prune',
    '--no-generate',
    '--validate',
    '-v',
    '--help',
    '--',
    '-prune',
  ]);
  assert.throws(() => normalizeBoolFlags(['-prune=maybe'], ['prune']), /invalid boolean value "maybe" for flag -prune/);
});

test('module versions order as Go orders them', () => {
  const sorted = ['bad', 'v0.0.0-20190130140558-29b3c92445e5', 'v0.9.3', 'v1.2.0-rc.1', 'v1.2', 'v1.10.0', 'v2.6.0', 'v2.12.0'];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = 0; j < sorted.length; j++) assert.equal(compareSemver(sorted[i]!, sorted[j]!), Math.sign(i - j), `${sorted[i]} vs ${sorted[j]}`);
  }
  assert.equal(compareSemver('v1.2.0', 'v1.2'), 0);
  assert.equal(compareSemver('v1.2.0+build', 'v1.2.0'), 0);
});

test('the //go:generate directive is replaced, added after the leading comments, or removed', () => {
  const edit = (src: string, directive: string) => {
    const f = ToolFile.parse(src, 'x.go');
    f.setGenerateDirective(directive);
    return f.print();
  };
  const on = generateDirective({ generate: true, prune: false, validate: true });
  assert.equal(on, '//go:generate go run github.com/DataDog/orchestrion pin -generate -prune=false -validate');
  assert.equal(generateDirective({ generate: false, prune: true, validate: true }), '');
  assert.match(edit(DEFAULT_TOOL_FILE, on), /\/\/go:build tools\n\n\/\/go:generate go run github\.com\/DataDog\/orchestrion pin -generate -prune=false -validate\n\npackage tools\n$/);
  const withOld = 'package tools\n\n//go:generate go run github.com/DataDog/orchestrion pin\nimport _ "x"\n\n//go:generate go run github.com/DataDog/orchestrion pinned\n';
  assert.equal(edit(withOld, on), `package tools\n\n${on}\nimport _ "x"\n\n//go:generate go run github.com/DataDog/orchestrion pinned\n`);
  assert.equal(edit(withOld, ''), 'package tools\n\nimport _ "x"\n\n//go:generate go run github.com/DataDog/orchestrion pinned\n');
});
