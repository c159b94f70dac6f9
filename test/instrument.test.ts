// `orchestrion instrument`, end to end with real go: the woven side of every diff (and every file -o
// writes) is, byte for byte, what `orchestrion go build -work -a` handed the compiler for the same
// packages; -o layout; -deps through the standard library (net/http, woven by an aspect whose advice
// links a package of another module); build flags (-tags); exit statuses; --json; -explain.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseInstrumentArgs } from '../src/commands/instrument.ts';
import { unifiedDiff } from '../src/instrument/unidiff.ts';
import { BIN, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';
import { applyDiff, assertSameAsBuild, wovenInWork, type JsonReport } from './instrument-report.ts';

const gocache = tempDir('gocache-instrument');
const env = goEnv(gocache);

function instrument(cwd: string, args: string[], extra: Record<string, string> = {}) {
  return run(BIN, ['instrument', ...args], { cwd, env: { ...env, ...extra } });
}

test('unified diffs: applying each one gives the new text back, with and without final newlines', () => {
  const cases: [string, string][] = [
    ['a\nb\nc\n', 'a\nx\nb\nc\n'],
    ['a\nb\nc', 'a\nb\nc\n'],
    ['a\nb\nc\n', 'a\nb\nc'],
    ['', 'new\n'],
    ['old\n', ''],
  ];
  // And a longer pair whose changes are far apart (two hunks) or close (one).
  const long = Array.from({ length: 40 }, (_, i) => `line ${i}\n`);
  const edited = [...long];
  edited.splice(30, 1, 'changed 30\n');
  edited.splice(5, 0, 'inserted\n');
  edited.splice(8, 1);
  cases.push([long.join(''), edited.join('')]);
  for (const [a, b] of cases) {
    const d = unifiedDiff(a, b, 'a/x.go', 'b/x.go');
    assert.ok(d.startsWith('--- a/x.go\n+++ b/x.go\n@@ '), d);
    assert.equal(applyDiff(a, d), b, d);
  }
  assert.equal(unifiedDiff('same\n', 'same\n', 'a', 'b'), '');
  assert.equal(unifiedDiff(long.join(''), edited.join(''), 'a', 'b').match(/^@@ /gm)?.length, 2);
  assert.match(unifiedDiff('a\nb', 'a\nc', 'a', 'b'), /^-b\n\\ No newline at end of file\n\+c\n\\ No newline at end of file\n$/m);
});

test('arguments: own flags in Go style, build flags for go, patterns', () => {
  assert.deepEqual(parseInstrumentArgs(['-o', 'out', '-deps', '--explain', '-json=false', '-tags', 'a,b', '-trimpath', '-mod=mod', './...']), {
    outDir: 'out', deps: true, explain: true, json: false, help: false, buildFlags: ['-tags=a,b', '-trimpath', '-mod=mod'], patterns: ['./...'],
  });
  assert.deepEqual(parseInstrumentArgs(['-C', 'dir']).chdir, 'dir');
  assert.deepEqual(parseInstrumentArgs([]).patterns, ['.']);
  assert.throws(() => parseInstrumentArgs(['-toolexec', 'x']), /own -toolexec/);
});

test('examples/hello: the diff and -o bytes are what go build -work -a compiled; only modified files are written; text = JSON', () => {
  const mod = tempModule('examples/hello');
  // A file no aspect touches: neither diffed nor written.
  fs.writeFileSync(path.join(mod, 'plain.go'), 'package main\n\nfunc plain() int { return 1 }\n\nvar _ = plain\n');
  const b = run(BIN, ['go', 'build', '-work', '-a', '-o', path.join(tempDir('out'), 'hello'), '.'], { cwd: mod, env });
  assert.equal(b.code, 0, describeResult(b));
  const built = wovenInWork(b.stderr);
  assert.deepEqual([...built.keys()], [path.join(fs.realpathSync(mod), 'main.go')]);

  const out = tempDir('woven');
  const j = instrument(mod, ['-json', '-o', out]);
  assert.equal(j.code, 0, describeResult(j));
  const report = JSON.parse(j.stdout) as JsonReport;
  assert.equal(report.root, fs.realpathSync(mod));
  assert.deepEqual(report.packages.map((p) => [p.importPath, p.name, p.lang]), [['example.com/hello', 'main', 'go1.23']]);
  assert.equal(report.packages[0]!.explain, undefined);
  assertSameAsBuild(report, built, out);
  // -o: the main package under its import path, nothing else.
  assert.deepEqual(fs.readdirSync(out, { recursive: true }).map(String).sort(), ['example.com', 'example.com/hello', 'example.com/hello/main.go']);

  const t = instrument(mod, []);
  assert.equal(t.code, 0, describeResult(t));
  assert.equal(t.stdout, report.packages[0]!.files.map((f) => f.diff).join(''));
  // main.go opens with the package's doc comment: the directive goes at its end (go/printer moves
  // it there), naming the package clause's own line.
  assert.match(t.stdout, /^\+\/\/line .*\/main\.go:3:1\n package main$/m);
});

test("-o names a woven file as Orchestrion does, after the file a leading //line names, unless two would clash; the build compiles them all", () => {
  const mod = tempModule('examples/hello');
  const timed = (name: string) => `package main\n\n//demo:timed\nfunc ${name}() {}\n\nvar _ = ${name}\n`;
  fs.writeFileSync(path.join(mod, 'parser.go'), `//line grammar.y:1\n${timed('parse')}`);
  fs.writeFileSync(path.join(mod, 'a.go'), `//line shared.y:1\n${timed('a')}`);
  fs.writeFileSync(path.join(mod, 'b.go'), `//line shared.y:1\n${timed('b')}`);
  // Not at its first line: an ordinary comment, the file keeps its name.
  fs.writeFileSync(path.join(mod, 'lexer.go'), `//line lexer.rl:7\n${timed('lex')}`);
  const out = tempDir('woven');
  const r = instrument(mod, ['-json', '-o', out]);
  assert.equal(r.code, 0, describeResult(r));
  assert.deepEqual(fs.readdirSync(path.join(out, 'example.com', 'hello')).sort(), ['a.go', 'b.go', 'grammar.y', 'lexer.go', 'main.go']);
  const report = JSON.parse(r.stdout) as JsonReport;
  const parser = report.packages[0]!.files.find((f) => f.name === 'example.com/hello/parser.go')!;
  assert.equal(parser.woven, path.join(out, 'example.com', 'hello', 'grammar.y'));
  assert.match(fs.readFileSync(parser.woven, 'utf8'), /^\/\/line grammar\.y:1:1\npackage main\n/);
  const b = run(BIN, ['go', 'build', '-o', path.join(tempDir('out'), 'hello'), '.'], { cwd: mod, env });
  assert.equal(b.code, 0, describeResult(b));
});

test('-tags decides which files are considered, as for the compiler', () => {
  const mod = tempModule('examples/hello');
  fs.writeFileSync(path.join(mod, 'special.go'), '//go:build special\n\npackage main\n\n//demo:timed\nfunc special() {}\n\nvar _ = special\n');
  const names = (r: ReturnType<typeof instrument>) => (JSON.parse(r.stdout) as JsonReport).packages.flatMap((p) => p.files.map((f) => f.name));
  const plain = instrument(mod, ['-json']);
  assert.equal(plain.code, 0, describeResult(plain));
  assert.deepEqual(names(plain), ['example.com/hello/main.go']);
  const tagged = instrument(mod, ['-tags', 'special', '-json']);
  assert.equal(tagged.code, 0, describeResult(tagged));
  assert.deepEqual(names(tagged), ['example.com/hello/main.go', 'example.com/hello/special.go']);
  // GOFLAGS counts as the build's flags too.
  assert.deepEqual(names(instrument(mod, ['-json'], { GOFLAGS: '-tags=special' })), names(tagged));
  // GOOS, and -C as go has it: a file for another system is left out, unless building for it.
  fs.writeFileSync(path.join(mod, 'only_darwin.go'), 'package main\n\n//demo:timed\nfunc mac() {}\n\nvar _ = mac\n');
  const elsewhere = tempDir('elsewhere');
  assert.deepEqual(names(instrument(elsewhere, ['-C', mod, '-json'])), ['example.com/hello/main.go']);
  // -o, like go's, is relative to the -C directory.
  const inMod = instrument(elsewhere, ['-C', mod, '-o', 'woven']);
  assert.equal(inMod.code, 0, describeResult(inMod));
  assert.ok(fs.existsSync(path.join(mod, 'woven', 'example.com', 'hello', 'main.go')));
  assert.ok(!fs.existsSync(path.join(elsewhere, 'woven')));
  const darwin = instrument(elsewhere, ['-json', '-C', mod], { GOOS: 'darwin' });
  assert.equal(darwin.code, 0, describeResult(darwin));
  assert.deepEqual(names(darwin), ['example.com/hello/main.go', 'example.com/hello/only_darwin.go']);
});

test('a progress line on standard error when it is a terminal and there are many packages; none otherwise', () => {
  const mod = tempModule('examples/hello');
  const plain = instrument(mod, ['-deps', '-json']);
  assert.equal(plain.code, 0, describeResult(plain));
  assert.equal(plain.stderr, '');
  // script(1) runs the command on a pseudo-terminal; standard output goes to a file.
  const out = path.join(tempDir('tty'), 'report.json');
  const tty = run('script', ['-qec', `"${BIN}" instrument -deps -json > "${out}"`, '/dev/null'], { cwd: mod, env });
  assert.equal(tty.code, 0, describeResult(tty));
  // One line rewritten in place (carriage return, erase line) per package, erased at the end.
  const total = (JSON.parse(plain.stdout) as JsonReport).packages.length;
  assert.ok(total > 1);
  assert.match(tty.stdout, new RegExp(`\\r\\x1b\\[Kinstrument: ${total}/${total} \\S+`));
  assert.ok(tty.stdout.endsWith('\r\x1b[K'), JSON.stringify(tty.stdout.slice(-40)));
  assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')), JSON.parse(plain.stdout));
});

test('exit status: nothing matched is 0; a wrong configuration is file:line:col; a package that does not load or compile is named', () => {
  const mod = tempModule('examples/hello');
  const none = instrument(mod, ['-json', 'fmt']);
  assert.equal(none.code, 0, describeResult(none));
  assert.deepEqual((JSON.parse(none.stdout) as JsonReport).packages.map((p) => [p.importPath, p.files.length]), [['fmt', 0]]);
  // A package with assembly compiles as in a build: its symbol ABIs first (the runtime refuses
  // abi.FuncPCABI0 of an assembly function without them).
  const asm = instrument(mod, ['-json', 'runtime']);
  assert.equal(asm.code, 0, describeResult(asm));
  assert.deepEqual((JSON.parse(asm.stdout) as JsonReport).packages.map((p) => p.importPath), ['runtime']);

  const missing = instrument(mod, ['./nope']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /nope.*(directory not found|no such|cannot find)/);
  const unknown = instrument(mod, ['example.com/elsewhere']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /example\.com\/elsewhere/);

  fs.writeFileSync(path.join(mod, 'broken.go'), 'package main\n\nvar broken int = "text"\n');
  const typeErr = instrument(mod, []);
  assert.notEqual(typeErr.code, 0);
  assert.match(typeErr.stderr, /^# example\.com\/hello\n.*broken\.go:3:18: cannot use "text"/m);
  fs.rmSync(path.join(mod, 'broken.go'));

  const yml = path.join(mod, 'orchestrion.yml');
  fs.writeFileSync(yml, fs.readFileSync(yml, 'utf8').replace('prepend-statements:', 'prepend-statements: [oops'));
  const bad = instrument(mod, []);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /orchestrion\.yml:\d+:\d+: /);
  assert.equal(bad.stdout, '');
});

test('-deps through the standard library: net/http woven with a //go:linkname to another module, main packages with injected imports, the injected packages, as go build -work -a (and its child builds) wove them', () => {
  const root = tempModule('test/fixtures/inject');
  const app = path.join(root, 'app');
  fs.appendFileSync(
    path.join(root, 'runtime', 'integration', 'orchestrion.yml'),
    [
      '  - id: http-hook',
      '    join-point: { declaration-of: net/http.DefaultTransport }',
      '    advice:',
      '      - inject-declarations:',
      '          links: [example.com/runtime/httphook]',
      '          template: "//go:linkname __onHTTP example.com/runtime/httphook.Hook\\nfunc __onHTTP(string)\\n\\nfunc init() { __onHTTP(\\"HEAD\\") }"',
      '',
    ].join('\n'),
  );
  const b = run(BIN, ['go', 'build', '-work', '-a', '-o', `${tempDir('out')}/`, '.', './cmd/web'], { cwd: app, env, timeoutMs: 900_000 });
  assert.equal(b.code, 0, describeResult(b));
  const built = wovenInWork(b.stderr);
  assert.ok([...built.keys()].some((f) => f.endsWith('/net/http/transport.go')), [...built.keys()].join('\n'));

  const out = tempDir('woven-deps');
  const j = instrument(app, ['-deps', '-json', '-o', out, '.', './cmd/web']);
  assert.equal(j.code, 0, describeResult(j));
  const report = JSON.parse(j.stdout) as JsonReport;
  const pkgs = report.packages.map((p) => p.importPath);
  for (const p of ['example.com/app', 'example.com/app/cmd/web', 'example.com/app/greet', 'net/http', 'runtime', 'fmt']) assert.ok(pkgs.includes(p), p);
  // What the advice injects is built too, and woven, by the job server's child builds (their work
  // directories are kept inside the build's): -deps covers it, though go list -deps does not list it.
  assert.ok(built.has(path.join(fs.realpathSync(root), 'runtime', 'mainhook', 'mainhook.go')), [...built.keys()].join('\n'));
  assert.ok(pkgs.includes('example.com/runtime/mainhook'), pkgs.join('\n'));
  const http = report.packages.find((p) => p.importPath === 'net/http')!;
  assert.deepEqual(http.files.map((f) => f.name), ['net/http/transport.go']);
  assert.deepEqual(http.references.filter((r) => r.path !== 'unsafe'), [{ path: 'example.com/runtime/httphook', kind: 'relocation', aspect: 'http-hook' }]);
  // Standard-library packages get the toolchain's language version.
  const goVersion = run('go', ['env', 'GOVERSION'], { cwd: app, env }).stdout.trim();
  assert.equal(http.lang, /^go\d+\.\d+/.exec(goVersion)![0]);
  assert.equal(report.packages.find((p) => p.importPath === 'example.com/app')!.lang, 'go1.23');
  assertSameAsBuild(report, built, out);
  // Without -deps: only the named packages.
  const only = instrument(app, ['-json', './cmd/web']);
  assert.equal(only.code, 0, describeResult(only));
  assert.deepEqual((JSON.parse(only.stdout) as JsonReport).packages.map((p) => p.importPath), ['example.com/app/cmd/web']);
});

// Aspects decided at each stage. Line and column numbers below depend on this text.
const SHOP_CONFIG = `aspects:
  - id: trace-checkout
    join-point:
      function-body:
        directive: 'shop:trace'
    advice:
      - prepend-statements:
          imports:
            log: log
          template: log.Println("enter", {{ printf "%q" .Function.Name }})
  - id: only-elsewhere
    join-point:
      import-path: example.com/warehouse
    advice:
      - prepend-statements:
          template: _ = 0
  - id: missing-function
    join-point:
      function-body:
        function:
          - name: Refund
    advice:
      - prepend-statements:
          template: _ = 1
  - id: no-such-call
    join-point:
      function-call: strings.ToUpper
    advice:
      - wrap-expression:
          template: '{{ . }}'
  - id: wrong-receiver
    join-point:
      method-call:
        receiver: strings.Builder
        name: WriteString
    advice:
      - wrap-expression:
          template: '{{ . }}'
  - id: commented-directive
    join-point:
      function-body:
        directive: 'shop:audit'
    advice:
      - prepend-statements:
          template: _ = 2
`;
const SHOP_MAIN = `package main

import (
	"fmt"
	"strings"
)

type sink struct{}

func (sink) WriteString(s string) (int, error) { return len(s), nil }

// Not audited: see //shop:audit in the docs (prose, not a directive).
// Joins with strings.Join, not strings.ToUpper.
//
//shop:trace
func checkout(items []string) string {
	_, _ = sink{}.WriteString("x")
	return strings.Join(items, ",")
}

func main() { fmt.Println(checkout([]string{"a", "b"})) }
`;

test('-explain: a match with its place and advice, a rejection at each stage with its reason, a directive only in prose; text and JSON', () => {
  const mod = tempDir('shop');
  fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/shop\n\ngo 1.22\n');
  fs.writeFileSync(path.join(mod, 'orchestrion.yml'), SHOP_CONFIG);
  fs.writeFileSync(path.join(mod, 'main.go'), SHOP_MAIN);
  const j = instrument(mod, ['-explain', '-json']);
  assert.equal(j.code, 0, describeResult(j));
  const pkg = (JSON.parse(j.stdout) as JsonReport).packages[0]!;
  const yml = path.join(fs.realpathSync(mod), 'orchestrion.yml');
  const verdicts = pkg.explain!;
  assert.deepEqual(
    verdicts.map((v) => [v.index, v.aspect, v.stage]),
    [[0, 'trace-checkout', 'matched'], [1, 'only-elsewhere', 'package'], [2, 'missing-function', 'file'], [3, 'no-such-call', 'syntax'], [4, 'wrong-receiver', 'types'], [5, 'commented-directive', 'syntax']],
  );
  for (const v of verdicts) assert.equal(v.file, yml);
  assert.deepEqual(verdicts[0]!.matches, [{ file: path.join(fs.realpathSync(mod), 'main.go'), line: 16, column: 38, advice: ['prepend-statements'] }]);
  assert.match(verdicts[3]!.reason, /strings\.ToUpper/);
  assert.match(verdicts[5]!.reason, /\/\/shop:audit/);
  assert.equal(pkg.files.length, 1);

  // The text: grouped by verdict, matches first, then rejections in pipeline order; paths relative to the module.
  const t = instrument(mod, ['-explain']);
  assert.equal(t.code, 0, describeResult(t));
  const explanation = t.stdout.slice(0, t.stdout.indexOf('--- a/'));
  assert.equal(
    explanation,
    `example.com/shop: 1 of 6 aspects matched
  matched:
    trace-checkout (orchestrion.yml)
      main.go:16:38: prepend-statements
  rejected by the package filter:
    only-elsewhere (orchestrion.yml): not the import path example.com/warehouse
  rejected by the file filter:
    missing-function (orchestrion.yml): no file contains the function name Refund
  rejected by syntax:
    no-such-call (orchestrion.yml): ${verdicts[3]!.reason}
    commented-directive (orchestrion.yml): ${verdicts[5]!.reason}
  rejected by types:
    wrong-receiver (orchestrion.yml) at main.go:17:9: the receiver of .WriteString has type example.com/shop.sink, not strings.Builder
`,
  );
  assert.equal(t.stdout.slice(explanation.length), pkg.files[0]!.diff);
});

test('a cgo package: cgo\'s output is woven under the name and in the place a build gives it, with the build\'s bytes but for that place', () => {
  const mod = tempModule('examples/hello');
  fs.writeFileSync(path.join(mod, 'native.go'), 'package main\n\n// static int two(void) { return 2; }\nimport "C"\n\n//demo:timed\nfunc native() int { return int(C.two()) }\n\nvar _ = native\n');
  const cgo = { CGO_ENABLED: '1' };
  // A fresh module: its package is compiled (woven) again without -a, the rest comes from GOCACHE.
  const b = run(BIN, ['go', 'build', '-work', '-o', path.join(tempDir('out'), 'hello'), '.'], { cwd: mod, env: { ...env, ...cgo } });
  assert.equal(b.code, 0, describeResult(b));
  const built = wovenInWork(b.stderr);
  const out = tempDir('woven-cgo');
  const r = instrument(mod, ['-json', '-o', out], cgo);
  assert.equal(r.code, 0, describeResult(r));
  const report = JSON.parse(r.stdout) as JsonReport;
  const files = report.packages[0]!.files;
  assert.deepEqual(files.map((f) => f.name), ['example.com/hello/main.go', 'example.com/hello/native.cgo1.go']);
  assert.ok(files[1]!.diff.includes('"[orchestrion] -> %s\\n", "native")'), files[1]!.diff);
  // The woven translation's first line names the file cgo wrote, in the compile's own directory:
  // $WORK/bNNN for the build, a scratch bN for instrument (both gone once the command ends); then
  // cgo's own directive takes positions back to native.go.
  const woven = fs.readFileSync(path.join(out, 'example.com', 'hello', 'native.cgo1.go'), 'utf8').split('\n');
  assert.match(woven[0]!, /^\/\/line \/.*\/orchestrion-instrument-[^/]+\/b\d+\/native\.cgo1\.go:1:1$/);
  assert.ok(woven.includes(`//line ${path.join(fs.realpathSync(mod), 'native.go')}:1:1`), woven.slice(0, 6).join('\n'));
  assert.ok(!fs.existsSync(woven[0]!.slice('//line '.length, -':1:1'.length)), 'the scratch copy is removed');
  assertSameAsBuild(report, built, out);
});
