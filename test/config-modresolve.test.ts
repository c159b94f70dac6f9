// Locating the configuration's imports from go.mod alone (src/config/modresolve.ts): what it reads
// of go.mod, when it leaves the answer to go, and which directory it gives, on a module cache laid
// out as cmd/go lays it out. Its agreement with `go list` on dd-trace-go's hundred integrations is
// checked in config-ddtrace-all.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ModuleResolver, escapeModulePath, parseGoMod, type ResolverEnv } from '../src/config/modresolve.ts';
import { tempDir } from './helpers.ts';

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

test('go.mod: module, go, require and replace, in blocks and on single lines, comments and quotes', () => {
  const mod = parseGoMod(
    [
      '// a comment',
      'module "example.com/app" // the main module',
      '',
      'go 1.23.4',
      'toolchain go1.26.8',
      'require example.com/a v1.2.3',
      'require (',
      '\texample.com/b v0.1.0 // indirect',
      '\t`example.com/C` v2.0.0+incompatible',
      ')',
      'replace example.com/a => example.com/fork v1.2.4',
      'replace (',
      '\texample.com/b v0.1.0 => ../b',
      ')',
      'retract v0.0.1',
    ].join('\n'),
  );
  assert.equal(mod.module, 'example.com/app');
  assert.equal(mod.go, '1.23.4');
  assert.deepEqual([...mod.require], [
    ['example.com/a', 'v1.2.3'],
    ['example.com/b', 'v0.1.0'],
    ['example.com/C', 'v2.0.0+incompatible'],
  ]);
  assert.deepEqual(mod.replace, [
    { old: 'example.com/a', oldVersion: undefined, new: 'example.com/fork', newVersion: 'v1.2.4' },
    { old: 'example.com/b', oldVersion: 'v0.1.0', new: '../b', newVersion: undefined },
  ]);
  assert.equal(mod.exclude, false);
  assert.equal(parseGoMod('module m\nexclude (\n\tx v1\n)\n').exclude, true);
  assert.throws(() => parseGoMod('go 1.22\n'), /no module directive/);
  assert.throws(() => parseGoMod('module m\nrequire x\n'), /require: expected a module path and a version/);
});

test('module cache paths escape upper-case letters', () => {
  assert.equal(escapeModulePath('github.com/DataDog/dd-trace-go/v2'), 'github.com/!data!dog/dd-trace-go/v2');
  assert.equal(escapeModulePath('v1.0.0-RC1'), 'v1.0.0-!r!c1');
});

/** A main module requiring two modules that are in a module cache of their own. */
function layout() {
  const base = tempDir('modresolve');
  const root = path.join(base, 'app');
  const modcache = path.join(base, 'modcache');
  write(path.join(root, 'go.mod'), 'module example.com/app\n\ngo 1.23\n\nrequire (\n\tgithub.com/Org/lib v1.0.0\n\tgithub.com/Org/lib/sub v0.2.0\n\texample.com/gone v1.0.0\n)\n');
  write(path.join(root, 'internal', 'x', 'x.go'), 'package x\n');
  write(path.join(root, 'nested', 'go.mod'), 'module example.com/app/nested\n');
  write(path.join(root, 'nested', 'p', 'p.go'), 'package p\n');
  write(path.join(root, 'onlytests', 'a_test.go'), 'package onlytests\n');
  const lib = path.join(modcache, 'github.com', '!org', 'lib@v1.0.0');
  write(path.join(lib, 'http', 'http.go'), 'package http\n');
  write(path.join(lib, 'http', 'orchestrion.yml'), 'aspects: []\n');
  write(path.join(lib, 'both', 'b.go'), 'package both\n');
  write(path.join(lib, 'empty', 'README'), '');
  const sub = path.join(modcache, 'github.com', '!org', 'lib', 'sub@v0.2.0');
  write(path.join(sub, 'sub.go'), 'package sub\n');
  write(path.join(sub, 'deep', 'd.go'), 'package deep\n');
  const env: ResolverEnv = { GOMOD: path.join(root, 'go.mod'), GOWORK: '', GOFLAGS: '', GOMODCACHE: modcache };
  return { root, modcache, lib, sub, env };
}

function resolver(root: string, env: ResolverEnv, flags: string[] = []): ModuleResolver {
  const r = ModuleResolver.create(root, env, flags);
  assert.ok(r instanceof ModuleResolver, `no resolver: ${String(r)}`);
  return r;
}

test('a package is in the one module of go.mod that provides it', () => {
  const { root, lib, sub, env } = layout();
  const r = resolver(root, env);
  assert.equal(r.dir('github.com/Org/lib/http'), path.join(lib, 'http'));
  // The longer module path owns its tree: lib@v1.0.0 has no sub/ directory.
  assert.equal(r.dir('github.com/Org/lib/sub'), sub);
  assert.equal(r.dir('github.com/Org/lib/sub/deep'), path.join(sub, 'deep'));
  assert.equal(r.dir('example.com/app/internal/x'), path.join(root, 'internal', 'x'));
});

test('what only go can answer is left to it', () => {
  const { root, lib, env } = layout();
  const r = resolver(root, env);
  assert.equal(r.dir('fmt'), undefined, 'the standard library');
  assert.equal(r.dir('github.com/Org/lib/empty'), undefined, 'no Go file: no module provides it');
  assert.equal(r.dir('github.com/Org/lib/missing'), undefined);
  assert.equal(r.dir('example.com/other/pkg'), undefined, 'no module of go.mod');
  assert.equal(r.dir('example.com/gone/pkg'), undefined, 'a module not downloaded yet');
  assert.equal(r.dir('example.com/app/nested/p'), undefined, 'another module inside the main one');
  assert.equal(r.dir('example.com/app/onlytests'), undefined, 'test files only: go list reports an error');
  // Two modules providing one path: go reports an ambiguous import.
  write(path.join(lib, 'sub', 'twice.go'), 'package sub\n');
  assert.equal(r.dir('github.com/Org/lib/sub'), undefined);
});

test('a replacement by another module version is followed; one by a directory, and every other mode, is go\'s', () => {
  const { root, modcache, lib, env } = layout();
  const fork = path.join(modcache, 'example.com', 'fork@v1.1.0');
  write(path.join(fork, 'http', 'http.go'), 'package http\n');
  const gomod = fs.readFileSync(path.join(root, 'go.mod'), 'utf8');
  write(path.join(root, 'go.mod'), `${gomod}\nreplace github.com/Org/lib v1.0.0 => example.com/fork v1.1.0\n`);
  assert.equal(resolver(root, env).dir('github.com/Org/lib/http'), path.join(fork, 'http'));
  // A replacement of another version does not apply.
  write(path.join(root, 'go.mod'), `${gomod}\nreplace github.com/Org/lib v0.9.0 => example.com/fork v1.1.0\n`);
  assert.equal(resolver(root, env).dir('github.com/Org/lib/http'), path.join(lib, 'http'));

  const refused = (why: RegExp, e: Partial<ResolverEnv> = {}, flags: string[] = []) => {
    const r = ModuleResolver.create(root, { ...env, ...e }, flags);
    assert.equal(typeof r, 'string');
    assert.match(r as string, why);
  };
  write(path.join(root, 'go.mod'), `${gomod}\nreplace github.com/Org/lib => ../lib\n`);
  refused(/replaces a module with a directory/);
  write(path.join(root, 'go.mod'), `${gomod}\nexclude github.com/Org/lib v0.9.0\n`);
  refused(/exclude/);
  write(path.join(root, 'go.mod'), gomod.replace('go 1.23', 'go 1.16'));
  refused(/before pruned module graphs/);
  write(path.join(root, 'go.mod'), gomod);
  refused(/workspace/, { GOWORK: path.join(root, 'go.work') });
  refused(/-mod=mod/, { GOFLAGS: '-trimpath -mod=mod' });
  refused(/-modfile=alt.mod/, {}, ['-modfile=alt.mod']);
  refused(/main module/, { GOMOD: '/dev/null' });
  fs.mkdirSync(path.join(root, 'vendor'));
  refused(/vendor/);
});
