// The command line a Go developer expects, through bin/orchestrion with real go commands in
// temporary modules: the README's commands as written, -toolexec given twice, help, go missing
// from PATH, and an orchestrion.tool.go import that does not resolve.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { toolGoImportSpecs } from '../src/config/toolgo.ts';
import { toolexecInvocation } from '../src/gocommand.ts';
import { splitGoFlags, stripToolexec } from '../src/goflags.ts';
import { BIN, ROOT, describeResult, goEnv, logEvents, run, tempDir, tempModule, type Result } from './helpers.ts';

const gocache = tempDir('gocache-usage');
const env = (extra: Record<string, string> = {}) => goEnv(gocache, extra);
const orchestrion = (cwd: string, args: string[], e: NodeJS.ProcessEnv = env()): Result => run(BIN, args, { cwd, env: e });
const GO_NOT_FOUND = 'the Go toolchain is not installed or not on PATH';

/** The lines of the README's first sh block after "## Using it". */
function readmeUsingIt(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Using it\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'README.md has a ```sh block under "## Using it"');
  return block[1]!.split('\n').filter((l) => l.trim() !== '');
}

/** A README line with `bin/orchestrion` (relative, or under $PWD) pointing at this repository's. */
function withRealBin(line: string): string {
  return line.replaceAll('$PWD/bin/orchestrion', BIN).replace(/(^|[\s'"=])bin\/orchestrion\b/g, `$1${BIN}`);
}

test("every command of the README's \"Using it\" section runs as written, and the builds are instrumented", () => {
  const lines = readmeUsingIt();
  assert.ok(lines.some((l) => l.startsWith('GOFLAGS=')), 'the GOFLAGS form is shown');
  for (const line of lines) {
    // A fresh copy for each: the builds compile the module's packages again (new directory), and pin edits go.mod.
    const mod = tempModule('test/fixtures/traced');
    const log = path.join(tempDir('usage-log'), 'log.jsonl');
    const r = run('sh', ['-c', withRealBin(line)], { cwd: mod, env: env({ ORCHESTRION_LOG_FILE: log }) });
    assert.equal(r.code, 0, `${line}\n${describeResult(r)}`);
    assert.doesNotMatch(r.stderr, /Warning|warn|not found/i, `${line}\n${describeResult(r)}`);
    if (/\bgo build\b/.test(line)) {
      const instrumented = logEvents(log).filter((e) => e.event === 'instrument' && e.importPath === 'example.com/traced');
      assert.ok(
        instrumented.some((e) => (e.modified as string[]).length > 0),
        `${line}: example.com/traced was not instrumented\n${describeResult(r)}`,
      );
    }
  }
});

test("GOFLAGS is split as cmd/go splits it (quoted fields, no unescaping), and stripToolexec drops the quoted -toolexec whole", () => {
  assert.deepEqual(splitGoFlags(`-tags=a '-toolexec=/x y/orchestrion toolexec' "-ldflags=-s -w"`), ['-tags=a', '-toolexec=/x y/orchestrion toolexec', '-ldflags=-s -w']);
  assert.deepEqual(splitGoFlags(String.raw`"-ldflags=-X=main.v=a\b" 'a'b`), [String.raw`-ldflags=-X=main.v=a\b`, 'a', 'b']);
  assert.throws(() => splitGoFlags(`'-toolexec=x`), /unterminated ' string/);

  assert.equal(stripToolexec(`'-toolexec=/repo/bin/orchestrion toolexec'`), '');
  assert.equal(stripToolexec(`-tags=x '-toolexec=/repo/bin/orchestrion toolexec' -trimpath`), '-tags=x -trimpath');
  assert.equal(stripToolexec(`"-toolexec=/repo/bin/orchestrion toolexec" -race`), '-race');
  assert.equal(stripToolexec('-toolexec=/bin/true -race'), '-race');
  // What remains splits into the same fields as before.
  const kept = stripToolexec(`"-ldflags=-s -w" '-toolexec=/o toolexec' "-gcflags=all='-N -l'"`);
  assert.deepEqual(splitGoFlags(kept), ['-ldflags=-s -w', "-gcflags=all='-N -l'"]);
  assert.equal(stripToolexec(undefined), '');
  // orchestrion go's own -toolexec value splits back into the program and "toolexec", whatever the path holds.
  for (const bin of ['/opt/my tools/orchestrion', String.raw`/opt/a\b/orchestrion`, '/opt/say "hi"/orchestrion']) {
    const inv = toolexecInvocation(['build', '.'], bin, '');
    assert.equal(inv.args[1], '-toolexec');
    assert.deepEqual(splitGoFlags(inv.args[2]!), [bin, 'toolexec'], bin);
  }
});

test('orchestrion go refuses a -toolexec of another program, on the command line or in GOFLAGS, before running go', () => {
  const mod = tempModule('test/fixtures/traced');
  const out = path.join(mod, 'app');
  for (const args of [
    ['go', 'build', '-o', out, '-toolexec=/bin/echo', '.'],
    ['go', 'build', '-toolexec', '/bin/echo', '-o', out, '.'],
    ['go', 'test', './...', '-toolexec=/bin/echo'],
    ['go', '-C', mod, 'install', '--toolexec=/bin/echo', '.'],
  ]) {
    const r = orchestrion(mod, args);
    assert.equal(r.code, 2, `${args.join(' ')}\n${describeResult(r)}`);
    assert.match(r.stderr, /^orchestrion: go (build|test|install) -toolexec="\/bin\/echo": orchestrion go runs go \w+ with its own -toolexec, and go keeps only the last one/);
    assert.equal(r.stdout, '');
    assert.ok(!fs.existsSync(out), 'go did not run');
  }
  for (const goflags of ['-toolexec=/bin/echo', `-race '-toolexec=/bin/echo toolexec'`]) {
    const r = orchestrion(mod, ['go', 'build', '-o', out, '.'], env({ GOFLAGS: goflags }));
    assert.equal(r.code, 2, `GOFLAGS=${goflags}\n${describeResult(r)}`);
    assert.match(r.stderr, /^orchestrion: GOFLAGS sets -toolexec="\/bin\/echo[^"]*": orchestrion go runs go build with its own -toolexec, which overrides GOFLAGS/);
    assert.ok(!fs.existsSync(out), 'go did not run');
  }
  // Its own -toolexec in GOFLAGS (the README's form) is no conflict, nor a program's argument after `go run .`.
  const own = orchestrion(mod, ['go', 'build', '-o', out, '.'], env({ GOFLAGS: `'-toolexec=${BIN} toolexec'` }));
  assert.equal(own.code, 0, describeResult(own));
  assert.equal(run(out, [], { cwd: mod }).stdout, 'ADVICE-V1 work\nADVICE-V1 Double\nresult 42 8\nplain ran\n');
  assert.equal(toolexecInvocation(['run', '-tags', 'x', '.', '-toolexec=y'], '/b', '').instrumented, true);
  assert.equal(toolexecInvocation(['test', '.', '-args', '-toolexec=y'], '/b', '').instrumented, true);
  assert.equal(toolexecInvocation(['vet', '-toolexec=y', '.'], '/b', '-toolexec=z').instrumented, false);
});

test('help: toolexec --help (-h, help), orchestrion help and help <command> print help and exit 0', () => {
  const cwd = tempDir('usage-help');
  for (const flag of ['--help', '-h', '-help', 'help']) {
    const r = orchestrion(cwd, ['toolexec', flag]);
    assert.equal(r.code, 0, `toolexec ${flag}\n${describeResult(r)}`);
    assert.match(r.stdout, /USAGE\n {2}\$ orchestrion toolexec <tool> \[tool arguments\.\.\.\]/);
    assert.equal(r.stderr, '');
  }
  const list = orchestrion(cwd, ['help']);
  assert.equal(list.code, 0, describeResult(list));
  for (const c of ['go', 'help', 'lint', 'pin', 'server', 'toolexec', 'version']) assert.match(list.stdout, new RegExp(`^ {2}${c} +\\S`, 'm'), c);
  assert.equal(list.stderr, '');
  const pin = orchestrion(cwd, ['help', 'pin']);
  assert.equal(pin.code, 0, describeResult(pin));
  assert.match(pin.stdout, /USAGE\n {2}\$ orchestrion pin/);
  const unknown = orchestrion(cwd, ['help', 'nosuch']);
  assert.equal(unknown.code, 2, describeResult(unknown));
  assert.equal(unknown.stderr, "orchestrion help nosuch: unknown help topic. Run 'orchestrion help'.\n");
});

test('without go on PATH, every command that runs go says so clearly; version still works', () => {
  // PATH: node and sh only (bin/orchestrion finds node through .tools/node-path anyway).
  const bindir = tempDir('usage-nogo-bin');
  fs.symlinkSync(fs.readFileSync(path.join(ROOT, '.tools', 'node-path'), 'utf8').trim(), path.join(bindir, 'node'));
  fs.symlinkSync('/bin/sh', path.join(bindir, 'sh'));
  const noGo = env({ PATH: bindir });
  const mod = tempModule('test/fixtures/traced');
  for (const args of [['pin'], ['lint'], ['lint', './...'], ['go', 'build', '.'], ['server'], ['golden', path.join(ROOT, 'test', 'golden')]]) {
    const r = orchestrion(mod, args, noGo);
    assert.equal(r.code, 1, `${args.join(' ')}\n${describeResult(r)}`);
    assert.ok(r.stderr.includes(GO_NOT_FOUND), `${args.join(' ')}\n${describeResult(r)}`);
    assert.doesNotMatch(r.stderr, /ENOENT|spawn|Error:/, `${args.join(' ')}\n${describeResult(r)}`);
  }
  const v = orchestrion(mod, ['version'], noGo);
  assert.equal(v.code, 0, describeResult(v));
  assert.match(v.stdout, /^orchestrion v\d/);
});

test("an orchestrion.tool.go import that does not resolve: file:line:col of the import, and go's whole advice", () => {
  const mod = tempDir('usage-unresolved');
  fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/app\n\ngo 1.23\n');
  fs.writeFileSync(path.join(mod, 'main.go'), 'package main\n\nfunc main() {}\n');
  const pkg = 'github.com/DataDog/dd-trace-go/contrib/net/http/v2';
  const toolFile = path.join(mod, 'orchestrion.tool.go');
  fs.writeFileSync(toolFile, `//go:build tools\n\npackage tools\n\nimport (\n\t_ "github.com/DataDog/orchestrion"\n\t_ "${pkg}" // integration\n)\n`);
  const expected = `${toolFile}:7:4: import "${pkg}": no required module provides package ${pkg}; to add it:\n\tgo get ${pkg}\n`;
  const lint = orchestrion(mod, ['lint']);
  assert.equal(lint.code, 1, describeResult(lint));
  assert.equal(lint.stderr, expected);
  const build = orchestrion(mod, ['go', 'build', '.']);
  assert.equal(build.code, 1, describeResult(build));
  assert.ok(build.stderr.includes(expected), describeResult(build));
});

test('many temporary directories in one test process trip no MaxListenersExceededWarning', () => {
  const script = `import { tempDir } from ${JSON.stringify(path.join(ROOT, 'test', 'helpers.ts'))};\nfor (let i = 0; i < 20; i++) tempDir('listeners');\n`;
  const r = run(process.execPath, ['--input-type=module', '-e', script], { cwd: tempDir('usage-listeners') });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stderr, '');
});

test('tool file import positions: the path literal, columns in bytes as Go counts them', () => {
  const src = '//go:build tools\n\npackage tools\n\nimport _ "example.com/a"\nimport (\n\t/* é */ "example.com/b"; x "example.com/c"\n)\n';
  assert.deepEqual(toolGoImportSpecs(src, 'orchestrion.tool.go'), [
    { path: 'example.com/a', line: 5, column: 10 },
    { path: 'example.com/b', line: 7, column: 11 },
    { path: 'example.com/c', line: 7, column: 30 },
  ]);
  assert.throws(() => toolGoImportSpecs('package tools\n\nimport (\n\t_ example.com/x\n)\n', 'f.go'), /^Error: f\.go:4:2: cannot read import spec "_ example\.com\/x"$/);
});
