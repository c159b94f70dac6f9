// link.deps records in real Go archives, their format, and the build flags child builds share.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { appendMember, readMember } from '../src/gobuild/archive.ts';
import { parseImportConfig } from '../src/gobuild/importcfg.ts';
import { LinkDeps } from '../src/gobuild/linkdeps.ts';
import { childBuildArgs, goPositionals, parseGoFlags, splitGoFlags } from '../src/goflags.ts';
import { describeResult, goEnv, run, tempDir } from './helpers.ts';

function realArchive(name: string): string {
  const dir = tempDir('archive');
  fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/${name}\n\ngo 1.23\n`);
  fs.writeFileSync(path.join(dir, 'p.go'), 'package p\n\nfunc F() int { return 42 }\n');
  const out = path.join(dir, `${name}.a`);
  const r = run('go', ['build', '-o', out, '.'], { cwd: dir, env: goEnv(tempDir('gocache-ar')) });
  assert.equal(r.code, 0, describeResult(r));
  return out;
}

test('a member appended to a Go archive is found again, as pack lists it', () => {
  const a = realArchive('p');
  assert.equal(readMember(a, 'link.deps'), undefined);
  assert.ok(readMember(a, '__.PKGDEF'), 'cmd/go archives start with __.PKGDEF');
  appendMember(a, 'link.deps', '#link.deps@v2\nimport\texample.com/x\n'); // odd size: padded
  appendMember(a, 'testmain.info', '#orchestrion.testmain@v1\nexample.com/p\n');
  assert.equal(readMember(a, 'link.deps')?.toString(), '#link.deps@v2\nimport\texample.com/x\n');
  assert.equal(readMember(a, 'testmain.info')?.toString(), '#orchestrion.testmain@v1\nexample.com/p\n');
  const t = run('go', ['tool', 'pack', 't', a], { cwd: path.dirname(a) });
  assert.equal(t.code, 0, describeResult(t));
  assert.deepEqual(t.stdout.trim().split('\n').slice(-2), ['link.deps', 'testmain.info']);
  // (The compiler and linker read only __.PKGDEF and _go_.o: the end-to-end tests link such archives.)
  assert.throws(() => readMember(path.join(path.dirname(a), 'p.go'), 'link.deps'), /not a Go archive/);
});

test('link.deps: v2 and v1, strongest kind wins, sorted output, clear errors', () => {
  const v2 = LinkDeps.parse('#link.deps@v2\nrelocation\tb/x\nimport\ta/y\n\n# comment\nrelocation\ta/y\n', 'x.a');
  assert.deepEqual(v2.entries(), [['a/y', 'import'], ['b/x', 'relocation']]);
  assert.equal(v2.format(), '#link.deps@v2\nimport\ta/y\nrelocation\tb/x\n');
  assert.deepEqual(LinkDeps.parse('#link.deps@v1\nz\na', 'x.a').entries(), [['a', 'import'], ['z', 'import']]);
  assert.throws(() => LinkDeps.parse('#link.deps@v3\n', 'x.a(link.deps)'), /x\.a\(link\.deps\): unsupported data format "#link\.deps@v3"/);
  assert.throws(() => LinkDeps.parse('#link.deps@v2\nimport a/b\n', 'x.a'), /invalid #link\.deps@v2 entry "import a\/b"/);
  assert.throws(() => LinkDeps.parse('#link.deps@v2\nweak\ta/b\n', 'x.a'), /invalid #link\.deps@v2 dependency kind "weak"/);
});

test('inherited link.deps: what imported archives need that the importcfg does not give', () => {
  const a = realArchive('dep');
  appendMember(a, 'link.deps', '#link.deps@v2\nimport\texample.com/tracer\nrelocation\tfmt\n');
  const fmtArchive = path.join(tempDir('fmt'), 'fmt.a');
  fs.writeFileSync(fmtArchive, '!<arch>\n'); // an archive without members
  const cfg = parseImportConfig(`packagefile example.com/dep=${a}\npackagefile fmt=${fmtArchive}\n`);
  assert.deepEqual(LinkDeps.inherited(cfg).entries(), [['example.com/tracer', 'import']]);
});

test('build flags for child builds: GOFLAGS then the command line, shared flags only', () => {
  assert.deepEqual(splitGoFlags(`-tags=a '-toolexec=/x y/orchestrion toolexec' "-ldflags=-s -w"`), ['-tags=a', '-toolexec=/x y/orchestrion toolexec', '-ldflags=-s -w']);
  const f = parseGoFlags(['test', '-race', '-v', '-run', 'TestX', '-tags', 'integration', '-count=1', '-a', './...'], '-trimpath -tags=fromenv');
  assert.deepEqual([...f.short].sort(), ['a', 'race', 'trimpath']);
  assert.equal(f.long.get('tags'), 'integration');
  assert.deepEqual(childBuildArgs(f), ['-race', '-trimpath', '-tags=integration']);
  assert.deepEqual(childBuildArgs(parseGoFlags(['build', '-toolexec', 'x toolexec', '-mod=vendor', '.'])), ['-mod=vendor']);
});

test('the package arguments of a go command: after its flags and their values, as cmd/go stops parsing', () => {
  assert.deepEqual(goPositionals(['build', '-trimpath', '-x', '-o', '/abs/out.bin', '.']), ['.']);
  assert.deepEqual(goPositionals(['build', '-o=/x', '-tags', 'a b', '-ldflags', '-s -w', './cmd/...']), ['./cmd/...']);
  assert.deepEqual(goPositionals(['test', '-run', 'TestX', '-count=1', '-v', './...', '-args', '-flag']), ['./...', '-args', '-flag']);
  assert.deepEqual(goPositionals(['run', '-exec', 'sudo', '.', 'arg']), ['.', 'arg']);
  assert.deepEqual(goPositionals(['build', '--', '-weird']), ['-weird']);
  assert.deepEqual(goPositionals(['build', '-race']), []);
});
