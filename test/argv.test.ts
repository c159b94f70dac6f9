// Command lines as cmd/go gives them to the compiler and the linker, and the rewriting of `go` commands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareGoVersions, flagValue, parseCommand, positionals, toolKind, withFlag } from '../src/toolexec/argv.ts';
import { formatImportConfig, parseImportConfig, provides } from '../src/gobuild/importcfg.ts';
import { versionLine } from '../src/toolexec/version-line.ts';
import { toolexecInvocation } from '../src/gocommand.ts';

const COMPILE = '/usr/local/go/pkg/tool/linux_amd64/compile';

test('tool kinds from the tool path', () => {
  assert.equal(toolKind(COMPILE), 'compile');
  assert.equal(toolKind('/x/link.exe'), 'link');
  assert.equal(toolKind('/x/asm'), 'other');
  assert.equal(toolKind('/x/compile-not'), 'other');
});

test('a compile command line: flags with values, inline values, booleans, files', () => {
  const args = [COMPILE, '-o', '/w/b001/_pkg_.a', '-trimpath', '/w/b001=>', '-p', 'main', '-lang=go1.22', '-complete', '-buildid', 'abc/def', '-goversion', 'go1.26.8', '-c=2', '-nolocalimports', '-importcfg', '/w/b001/importcfg', '-pack', './main.go', './util.go', 'x.s'];
  const cmd = parseCommand(args);
  assert.equal(cmd.kind, 'compile');
  assert.equal(flagValue(cmd, 'o'), '/w/b001/_pkg_.a');
  assert.equal(flagValue(cmd, 'p'), 'main');
  assert.equal(flagValue(cmd, 'lang'), 'go1.22');
  assert.equal(flagValue(cmd, 'buildid'), 'abc/def');
  assert.equal(flagValue(cmd, 'importcfg'), '/w/b001/importcfg');
  assert.equal(flagValue(cmd, 'complete'), 'true');
  assert.equal(cmd.showVersion, false);
  assert.deepEqual(positionals(cmd), ['./main.go', './util.go', 'x.s']);
  // Raising -lang rewrites the inline form in place and leaves everything else alone.
  const raised = withFlag(cmd, args, 'lang', 'go1.23');
  assert.equal(raised[7], '-lang=go1.23');
  assert.deepEqual(raised.filter((_, i) => i !== 7), args.filter((_, i) => i !== 7));
  // The separate form too.
  const out = withFlag(cmd, args, 'o', '/elsewhere.a');
  assert.equal(out[2], '/elsewhere.a');
  assert.throws(() => withFlag(cmd, args, 'asmhdr', 'x'), /argument "-asmhdr" not found/);
});

test('unknown flags pass through and -V forms are recognised', () => {
  const cmd = parseCommand([COMPILE, '-V=full']);
  assert.equal(cmd.showVersion, true);
  assert.equal(parseCommand([COMPILE, '-V']).showVersion, true);
  const unk = parseCommand([COMPILE, '-newflag', '-p', 'x', 'a.go']);
  assert.deepEqual(positionals(unk), ['a.go']);
  assert.equal(flagValue(unk, 'newflag'), 'true');
  assert.throws(() => parseCommand([]), /unexpected empty command arguments/);
});

test('a link command line', () => {
  const cmd = parseCommand(['/t/link', '-o', '/w/b001/exe/a.out', '-importcfg', '/w/b001/importcfg.link', '-buildmode=exe', '-buildid=xyz', '-extld=gcc', '/w/b001/_pkg_.a']);
  assert.equal(cmd.kind, 'link');
  assert.equal(flagValue(cmd, 'importcfg'), '/w/b001/importcfg.link');
  assert.equal(flagValue(cmd, 'buildmode'), 'exe');
  assert.deepEqual(positionals(cmd), ['/w/b001/_pkg_.a']);
});

test('Go language versions compare numerically', () => {
  assert.ok(compareGoVersions('go1.18', 'go1.9') > 0);
  assert.ok(compareGoVersions('go1.21', 'go1.21.0') === 0);
  assert.ok(compareGoVersions('go1.21.3', 'go1.22') < 0);
});

test('importcfg: packagefile and importmap, round trip', () => {
  const text = '# import config\npackagefile fmt=/c/fmt.a\nimportmap golang.org/x/net/http2/hpack=vendor/golang.org/x/net/http2/hpack\npackagefile vendor/golang.org/x/net/http2/hpack=/c/hpack.a\nmodinfo "x"\n';
  const cfg = parseImportConfig(text);
  assert.equal(cfg.packageFiles.get('fmt'), '/c/fmt.a');
  assert.ok(provides(cfg, 'fmt'));
  assert.ok(provides(cfg, 'golang.org/x/net/http2/hpack'));
  assert.ok(!provides(cfg, 'os'));
  const again = parseImportConfig(formatImportConfig(cfg));
  assert.deepEqual(again, cfg);
  assert.throws(() => parseImportConfig('packagefile broken\n', '/w/importcfg'), /\/w\/importcfg:1: invalid packagefile/);
});

test('the -V=full line keeps the tool identity and appends the suffix', () => {
  assert.equal(versionLine('compile version go1.26.8\n', 'orchestrion@v0.1.0;abc'), 'compile version go1.26.8:orchestrion@v0.1.0;abc');
  assert.equal(
    versionLine('compile version devel go1.27-abc buildID=xyz', 'orchestrion@v0.1.0;h'),
    'compile version devel go1.27-abc buildID=xyz:orchestrion@v0.1.0;h',
  );
});

test('orchestrion go: -toolexec goes right after the subcommand; other subcommands are untouched', () => {
  const inv = toolexecInvocation(['build', '-o', 'out', './...'], '/opt/my tools/orchestrion');
  assert.deepEqual(inv.args, ['build', '-toolexec', '"/opt/my tools/orchestrion" toolexec', '-o', 'out', './...']);
  assert.equal(inv.instrumented, true);
  const c = toolexecInvocation(['-C', 'sub', 'test', '-race', '.'], '/b');
  assert.equal(c.chdir, 'sub');
  assert.deepEqual(c.args, ['test', '-toolexec', '"/b" toolexec', '-race', '.']);
  assert.equal(toolexecInvocation(['-C=dir', 'run', '.'], '/b').chdir, 'dir');
  const env = toolexecInvocation(['env', 'GOMOD'], '/b');
  assert.deepEqual(env.args, ['env', 'GOMOD']);
  assert.equal(env.instrumented, false);
});
