// orchestrion diff over a real `orchestrion go build -work -a` tree of the inject fixture (woven
// packages, and the synthetic link_deps_imports.go of main), hand-made trees for the cases of
// Orchestrion's report_test.go, and --build. Test names follow the cases of Orchestrion's
// internal/cmd/diff_test.go and internal/report/report_test.go they mirror.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { buildCommandLine, teeOutput, workDirFromOutput } from '../src/diff/build.ts';
import { unifiedDiff } from '../src/diff/unified.ts';
import { leadingLineDirective, readWorkDir, type WovenFile } from '../src/diff/workdir.ts';
import { BIN, describeResult, goEnv, run, tempDir, tempModule, type Result } from './helpers.ts';

const gocache = tempDir('gocache-diff');
const env = goEnv(gocache);
const workDirs: string[] = [];
after(() => {
  for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
});
const orchestrion = (args: string[], cwd = process.cwd()): Result => run(BIN, args, { cwd, env });

let app = '';
let work = '';
before(() => {
  app = path.join(tempModule('test/fixtures/inject'), 'app');
  const r = run(BIN, ['go', 'build', '-work', '-a', '-o', path.join(tempDir('diff-out'), 'app'), '.'], { cwd: app, env });
  assert.equal(r.code, 0, describeResult(r));
  work = workDirFromOutput(r.stderr);
  assert.ok(work, describeResult(r));
  workDirs.push(work);
});

/** The woven files of the build, as the tree holds them: `bNNN` directories vary, so found by import path. */
function woven(importPath: string, file: string): string {
  const found = readWorkDir(work).find((f) => `/${f.modified}`.endsWith(`/${path.join('orchestrion', 'src', importPath, file)}`))?.modified;
  assert.ok(found, `${importPath}/${file} in ${work}`);
  return found;
}

/**
 * The packages the build wove: the app's, and mainhook, which advice injects into main and weaves
 * itself; a child build of the job server compiled it, in a work directory kept inside the tree.
 */
const WOVEN_PACKAGES = 'example.com/app/greet\nexample.com/runtime/mainhook\nmain\n';

/** A work tree written by hand: `{ 'b001/orchestrion/src/foo/bar.go': text }`. */
function handTree(files: Record<string, string>): string {
  const dir = tempDir('diff-tree');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

// --- report_test.go: TestFromWorkFS

const S = 'b001/orchestrion/src';
const fromWorkFS: [name: string, files: Record<string, string>, want: WovenFile[]][] = [
  ['empty', {}, []],
  ['no-line-directive', { [`${S}/foo/bar.go`]: 'package foo\nfunc Bar() {}' }, [{ modified: `${S}/foo/bar.go`, original: '' }]],
  ['simple', { [`${S}/foo/bar.go`]: '//line foo/bar.go\npackage foo\nfunc Bar() {}' }, [{ modified: `${S}/foo/bar.go`, original: 'foo/bar.go' }]],
  [
    'sample',
    { [`${S}/github.com/DataDog/test/bar.go`]: '//line /home/test/go/pkg/mod/github.com/!data!dog/test/bar.go\n' },
    [{ modified: `${S}/github.com/DataDog/test/bar.go`, original: '/home/test/go/pkg/mod/github.com/!data!dog/test/bar.go' }],
  ],
  [
    'multiple-files',
    { [`${S}/pkg/file1.go`]: '//line pkg/file1.go\npackage pkg\nfunc File1() {}', [`${S}/pkg/file2.go`]: '//line pkg/file2.go\npackage pkg\nfunc File2() {}' },
    [
      { modified: `${S}/pkg/file1.go`, original: 'pkg/file1.go' },
      { modified: `${S}/pkg/file2.go`, original: 'pkg/file2.go' },
    ],
  ],
  ['missing-original-path', { [`${S}/pkg/file.go`]: 'package pkg\nfunc File() {}' }, [{ modified: `${S}/pkg/file.go`, original: '' }]],
  ['nested-directories', { [`${S}/pkg/subpkg/file.go`]: '//line pkg/subpkg/file.go\npackage subpkg\nfunc File() {}' }, [{ modified: `${S}/pkg/subpkg/file.go`, original: 'pkg/subpkg/file.go' }]],
];
for (const [name, files, want] of fromWorkFS) {
  test(`TestFromWorkFS/${name}`, () => {
    assert.deepEqual(readWorkDir(handTree(files)), want);
  });
}

test('the work directories of the job server\'s child builds (go-build<N> inside the tree, nested too) are read as part of it', () => {
  const text = (f: string) => `//line /src/${f}:1:1\npackage x\n`;
  const tree = handTree({
    [`${S}/a/a.go`]: text('a/a.go'),
    [`go-build123/${S}/b/b.go`]: text('b/b.go'),
    [`go-build123/go-build456/b002/orchestrion/src/c/c.go`]: text('c/c.go'),
    [`elsewhere/${S}/d/d.go`]: text('d/d.go'),
  });
  assert.deepEqual(readWorkDir(tree), [
    { modified: `${S}/a/a.go`, original: '/src/a/a.go' },
    { modified: `go-build123/${S}/b/b.go`, original: '/src/b/b.go' },
    { modified: 'go-build123/go-build456/b002/orchestrion/src/c/c.go', original: '/src/c/c.go' },
  ]);
});

test('the //line directive of a woven file names its original only when it points at line 1 (column 1)', () => {
  assert.equal(leadingLineDirective('//line /a/main.go:1:1\npackage main\n'), '/a/main.go');
  assert.equal(leadingLineDirective('//line /a/main.go:1\n'), '/a/main.go');
  assert.equal(leadingLineDirective('//line /a/main.go\r\npackage main'), '/a/main.go');
  assert.equal(leadingLineDirective('//line /a/main.go:12\n'), '');
  assert.equal(leadingLineDirective('//line /a/main.go:1:5\n'), '');
  assert.equal(leadingLineDirective('package main\n//line /a/main.go:1\n'), '');
});

// --- diff_test.go: TestPrepareBuildArgs, TestPrepareBuildArgsWithCache

const prepareBuildArgs: [name: string, input: string[], expected: string[]][] = [
  ['empty args defaults to build with ./...', [], ['build', '-work', '-a', './...']],
  ['build command without flags', ['build', 'main.go'], ['build', '-work', '-a', 'main.go']],
  ['install command without flags', ['install', './...'], ['install', '-work', '-a', './...']],
  ['test command without flags', ['test', './...'], ['test', '-work', '-a', './...']],
  ['non-build command gets build prepended', ['./main.go'], ['build', '-work', '-a', './main.go']],
  ['with existing -work flag', ['build', '-work', 'main.go'], ['build', '-a', '-work', 'main.go']],
  ['with existing -a flag', ['build', '-a', 'main.go'], ['build', '-work', '-a', 'main.go']],
  ['with both -work and -a flags', ['build', '-work', '-a', 'main.go'], ['build', '-work', '-a', 'main.go']],
  ['complex build with other flags', ['build', '-v', '-x', 'main.go'], ['build', '-work', '-a', '-v', '-x', 'main.go']],
  ['install with mixed flags', ['install', '-work', '-v', './...'], ['install', '-a', '-work', '-v', './...']],
  ['test with all flags already present', ['test', '-work', '-a', '-v', './...'], ['test', '-work', '-a', '-v', './...']],
  ['args with empty strings', ['build', '', '-v', ''], ['build', '-work', '-a', '', '-v', '']],
  ['only flags without targets', ['build', '-v', '-x'], ['build', '-work', '-a', '-v', '-x']],
  ['mixed case command (build in caps)', ['BUILD', 'main.go'], ['build', '-work', '-a', 'BUILD', 'main.go']],
];
for (const [name, input, expected] of prepareBuildArgs) {
  test(`TestPrepareBuildArgs/${name}`, () => assert.deepEqual(buildCommandLine(input, true), expected));
}

const withCache: [name: string, input: string[], force: boolean, expected: string[]][] = [
  ['no cache flag - no -a added', ['build', 'main.go'], false, ['build', '-work', 'main.go']],
  ['force rebuild - adds -a flag', ['build', 'main.go'], true, ['build', '-work', '-a', 'main.go']],
  ['existing -a flag preserved when no cache', ['build', '-a', 'main.go'], false, ['build', '-work', '-a', 'main.go']],
  ['existing -a flag preserved when force rebuild', ['build', '-a', 'main.go'], true, ['build', '-work', '-a', 'main.go']],
];
for (const [name, input, force, expected] of withCache) {
  test(`TestPrepareBuildArgsWithCache/${name}`, () => assert.deepEqual(buildCommandLine(input, force), expected));
}

// --- diff_test.go: TestExtractWorkDirFromOutput, TestTeeReaderWorkDirCapture

const extract: [name: string, output: string, expected: string][] = [
  ['valid work directory output', 'WORK=/tmp/go-build123456789', '/tmp/go-build123456789'],
  ['work directory with other output', 'some output\nWORK=/tmp/go-build987654321\nmore output', '/tmp/go-build987654321'],
  ['work directory with whitespace', '\n\t\t\tWORK=/tmp/go-build111222333\n\t\t\t', '/tmp/go-build111222333'],
  ['no work directory in output', 'some build output without work directory', ''],
  ['empty output', '', ''],
  ['work directory with spaces in path', 'WORK=/tmp/go build/spaces in path', '/tmp/go build/spaces in path'],
  ['multiple work directories - returns first', 'WORK=/tmp/first\nWORK=/tmp/second', '/tmp/first'],
  ['work directory with equals in path', 'WORK=/tmp/go=build=123', '/tmp/go=build=123'],
  ['false positive - WORK in the middle of line', 'some text WORK=/tmp/not-real', ''],
  ['empty WORK value', 'WORK=', ''],
  ['WORK with newline immediately after equals', 'WORK=\n/tmp/go-build123', ''],
  ['WORK with only whitespace after equals', 'WORK=   \t  ', ''],
];
for (const [name, output, expected] of extract) {
  test(`TestExtractWorkDirFromOutput/${name}`, () => assert.equal(workDirFromOutput(output), expected));
}

const tee: [name: string, input: string, workDir: string][] = [
  ['captures work directory and forwards output', 'WORK=/tmp/go-build123456789\nsome other output\n', '/tmp/go-build123456789'],
  ['no work directory in output', 'some build output\nerror message\n', ''],
  ['work directory with mixed output', 'building...\nWORK=/tmp/work-dir\ncompiling main.go\n', '/tmp/work-dir'],
];
for (const [name, input, workDir] of tee) {
  test(`TestTeeReaderWorkDirCapture/${name}`, async () => {
    const forwarded: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => forwarded.push(c));
    // In pieces, as a pipe delivers them.
    const captured = await teeOutput(Readable.from([input.slice(0, 7), input.slice(7)].map((s) => Buffer.from(s))), out);
    assert.equal(Buffer.concat(forwarded).toString(), input);
    assert.equal(captured, input);
    assert.equal(workDirFromOutput(captured), workDir);
  });
}

// --- diff_test.go: TestOutputReport, TestOutputReport_PriorityFlags, TestOutputReport_EmptyResults,
// over the real work tree

function ok(args: string[], cwd?: string): string {
  const r = orchestrion(['diff', ...args], cwd);
  assert.equal(r.code, 0, describeResult(r));
  return r.stdout;
}

test('TestOutputReport/package flag enabled', () => {
  assert.equal(ok(['-package', work]), WOVEN_PACKAGES);
  assert.match(woven('example.com/runtime/mainhook', 'mainhook.go'), /^go-build\d+\/b\d+\/orchestrion\/src\//);
});

test('TestOutputReport/filename flag enabled', () => {
  assert.equal(
    ok(['-files', work]),
    [
      `${path.join(app, 'greet', 'greet.go')} -> ${woven('example.com/app/greet', 'greet.go')}`,
      `${path.join(path.dirname(app), 'runtime', 'mainhook', 'mainhook.go')} -> ${woven('example.com/runtime/mainhook', 'mainhook.go')}`,
      `${path.join(app, 'main.go')} -> ${woven('main', 'main.go')}`,
      '',
    ].join('\n'),
  );
});

test('TestOutputReport/diff output', () => {
  const out = ok([work]);
  const greet = woven('example.com/app/greet', 'greet.go');
  const mainhook = woven('example.com/runtime/mainhook', 'mainhook.go');
  const main = woven('main', 'main.go');
  // One diff per woven file, in import path order, labelled with the original path and the tree path.
  assert.deepEqual(
    out.split('\n').filter((l) => /^(---|\+\+\+) /.test(l)),
    [
      `--- ${path.join(app, 'greet', 'greet.go')}`,
      `+++ ${greet}`,
      `--- ${path.join(path.dirname(app), 'runtime', 'mainhook', 'mainhook.go')}`,
      `+++ ${mainhook}`,
      `--- ${path.join(app, 'main.go')}`,
      `+++ ${main}`,
    ],
  );
  assert.match(out, /^\+\t\t__orchestrion_rt\.Enter\("Hello"\)$/m);
  assert.match(out, /^\+\t\t_ = __orchestrion_mainhook\.Hook$/m);
  assert.match(out, /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@$/m);
  // The synthetic file has no original: not diffed, not listed.
  assert.doesNotMatch(out, /^(---|\+\+\+) .*link_deps_imports/m);
});

test('TestOutputReport/diff error', () => {
  // A woven file whose //line directive names a directory: it cannot be read as the original.
  const tree = handTree({ [`${S}/pkg/file.go`]: `//line ${tempDir('not-a-file')}:1:1\npackage pkg\n` });
  const r = orchestrion(['diff', tree]);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /^failed to generate diff: b001\/orchestrion\/src\/pkg\/file\.go: EISDIR/m);
});

const nothing = '^nothing-matches-this$';
test('TestOutputReport/package flag with nil packages', () => assert.equal(ok(['-package', '-filter', nothing, work]), ''));
test('TestOutputReport/filename flag with nil files', () => assert.equal(ok(['-files', '-filter', nothing, work]), ''));
test('TestOutputReport/empty report with no flags', () => assert.equal(ok(['-filter', nothing, work]), ''));

test('TestOutputReport_PriorityFlags', () => {
  assert.equal(ok(['-package', '-files', work]), WOVEN_PACKAGES);
});

test('TestOutputReport_EmptyResults/empty packages', () => assert.equal(ok(['-package', `-filter=${nothing}`, work]), ''));
test('TestOutputReport_EmptyResults/empty files', () => assert.equal(ok(['--files', `--filter=${nothing}`, work]), ''));

// --- beyond the Go tests: filters, -debug, errors, --build, the diff format

test('-filter keeps the files whose path in the work tree matches; an invalid expression is an error', () => {
  assert.equal(ok(['-package', '-filter', 'app/gr', work]), 'example.com/app/greet\n');
  const r = orchestrion(['diff', '-filter', 'x[', work]);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /^failed to filter files: invalid regex "x\[": /m);
});

test('-debug also shows the synthetic package (link_deps_imports.go of main, no original)', () => {
  assert.equal(ok(['-debug', '-package', work]), `${WOVEN_PACKAGES}synthetic\n`);
  assert.match(ok(['-debug', '-files', work]), /^\(unknown original path\) -> b\d+\/orchestrion\/src\/synthetic\/link_deps_imports\.go$/m);
});

test('-debug also shows packages of dd-trace-go and orchestrion (tracer-internal weaving), but not their exceptions', () => {
  const original = path.join(tempDir('orig'), 'x.go');
  fs.writeFileSync(original, 'package x\n');
  const file = `//line ${original}:1:1\npackage x\n`;
  const tree = handTree({
    'b001/orchestrion/src/example.com/app/x.go': file,
    'b002/orchestrion/src/github.com/DataDog/dd-trace-go/v2/ddtrace/tracer/x.go': file,
    'b003/orchestrion/src/github.com/DataDog/dd-trace-go/v2/internal/orchestrion/_integration/x.go': file,
    'b004/orchestrion/src/gopkg.in/DataDog/dd-trace-go.v1/ddtrace/x.go': file,
    'b005/orchestrion/src/github.com/DataDog/orchestrion/runtime/built/x.go': file,
    'b006/orchestrion/src/github.com/DataDog/orchestrion/instrument/x.go': file,
  });
  assert.equal(
    ok(['-package', tree]),
    'example.com/app\ngithub.com/DataDog/dd-trace-go/v2/internal/orchestrion/_integration\ngithub.com/DataDog/orchestrion/runtime/built\n',
  );
  assert.equal(ok(['-package', '-debug', tree]).split('\n').length - 1, 6);
});

test('an invalid work directory fails with a clear message (exit 1)', () => {
  const missing = path.join(tempDir('gone'), 'missing');
  let r = orchestrion(['diff', missing]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `failed to read work dir: ${missing}: no such file or directory (did you forget the -work flag during build?)\n`);

  const file = path.join(tempDir('file'), 'f');
  fs.writeFileSync(file, '');
  r = orchestrion(['diff', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^failed to read work dir: .*: not a directory \(did you forget the -work flag during build\?\)$/m);

  // A work directory of a build that wove nothing (no -a, everything cached).
  r = orchestrion(['diff', tempDir('empty-work')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^no files to diff in .* \(did you forget the -a flag during build\?\)$/m);

  r = orchestrion(['diff']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no work directory: .*or use --build/);

  r = orchestrion(['diff', '-bogus', work]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /flag provided but not defined: -bogus/);
});

test('--build runs orchestrion go build -work, passes its output on, then reports on that tree', () => {
  // A fresh copy of the module: its packages are compiled (and woven) again even without -a.
  const fresh = path.join(tempModule('test/fixtures/inject'), 'app');
  const r = orchestrion(['diff', '--build', '-package', './...'], fresh);
  assert.equal(r.code, 0, describeResult(r));
  const built = workDirFromOutput(r.stderr);
  assert.ok(built && built !== work, describeResult(r));
  workDirs.push(built);
  // The tree is kept, as go keeps it.
  assert.ok(fs.statSync(built).isDirectory());
  assert.equal(r.stdout, WOVEN_PACKAGES);

  const failed = orchestrion(['diff', '--build', 'build', './no-such-package'], fresh);
  // go keeps the (empty) work directory of a failed -work build too.
  const failedWork = workDirFromOutput(failed.stderr);
  if (failedWork) workDirs.push(failedWork);
  assert.equal(failed.code, 1, describeResult(failed));
  assert.match(failed.stderr, /^build failed: exit status 1$/m);
});

test('help names orchestrion instrument, which serves most of the same needs without a build', () => {
  const r = orchestrion(['diff', '-help']);
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, /orchestrion instrument/);
  assert.match(r.stdout, /-explain/);
});

/** GNU diff with the options Orchestrion gives it, when this machine has it (it is not required). */
function gnuDiff(from: string, to: string, fromLabel: string, toLabel: string): string | undefined {
  const r = spawnSync('diff', ['-u', '-d', '-a', '-w', '-B', '-I', '^//line', '--label', fromLabel, '--label', toLabel, from, to], { encoding: 'utf8' });
  if (r.error || (r.status !== 0 && r.status !== 1) || !/GNU/.test(spawnSync('diff', ['--version'], { encoding: 'utf8' }).stdout ?? '')) return undefined;
  return r.stdout;
}

test('the diffs are those of diff -u -d -a -w -B -I ^//line (what Orchestrion runs), compared with GNU diff when installed', (t) => {
  const files = readWorkDir(work).filter((f) => f.original !== '');
  let expected = '';
  for (const f of [...files].sort((a, b) => (a.modified.includes('/src/main/') ? 1 : 0) - (b.modified.includes('/src/main/') ? 1 : 0))) {
    const g = gnuDiff(f.original, path.join(work, f.modified), f.original, f.modified);
    if (g === undefined) return t.skip('no GNU diff on this machine');
    expected += g;
  }
  assert.equal(ok([work]), expected);
});

test('unified diff format: ignorable changes (blank lines, //line) make no hunk alone, context comes from the original', () => {
  const from = 'package p\n\nfunc f() {\n\treturn\n}\n';
  // Only a //line directive and a blank line added, and indentation changed: nothing to show.
  assert.equal(unifiedDiff(from, `//line /x.go:1:1\n${from.replace('\treturn', '    return')}\n`, { fromLabel: 'a', toLabel: 'b' }), '');
  // Within the context of a real change, they are shown.
  const to = '//line /x.go:1:1\npackage p\n\nfunc f() {\n  println()\n\treturn\n}\n';
  assert.equal(
    unifiedDiff(from, to, { fromLabel: 'a', toLabel: 'b' }),
    '--- a\n+++ b\n@@ -1,5 +1,7 @@\n+//line /x.go:1:1\n package p\n \n func f() {\n+  println()\n \treturn\n }\n',
  );
  // Seven unchanged lines or more before the real change, they are left out.
  const from2 = `// 1\n// 2\n// 3\n// 4\n// 5\n// 6\n// 7\n${from}`;
  assert.equal(
    unifiedDiff(from2, `//line /x.go:1:1\n${from2.replace('\treturn', '\tprintln()\n\treturn')}`, { fromLabel: 'a', toLabel: 'b' }),
    '--- a\n+++ b\n@@ -8,5 +9,6 @@\n package p\n \n func f() {\n+\tprintln()\n \treturn\n }\n',
  );
  assert.equal(
    unifiedDiff('a\nb', 'a\nc', { fromLabel: 'x', toLabel: 'y', color: true }),
    '\x1b[1m--- x\x1b[0m\n\x1b[1m+++ y\x1b[0m\n\x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n a\n\x1b[31m-b\x1b[0m\n\\ No newline at end of file\n\x1b[32m+c\x1b[0m\n\\ No newline at end of file\n',
  );
});
