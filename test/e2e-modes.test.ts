// One GOCACHE across module, vendor and workspace modes and build tags. cmd/go does not know that an
// instrumented package imports the package an aspect injected, so its key for the importer must
// change whenever the injected package's export data can: module vs vendor mode (the package is
// compiled from vendor/), a workspace's replace target, build tags that select its files. Otherwise
// the importer is reused from the cache and the link fails ("fingerprint mismatch") or links a
// stale package. Every build here must link, run and print what a build from an empty cache prints.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, run, tempDir } from './helpers.ts';

/** A module injecting example.com/injrt/counter (a local replace) into functions marked //count:me. */
function modules(): { app: string; root: string } {
  const root = tempDir('modes');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('injrt/go.mod', 'module example.com/injrt\n\ngo 1.23\n');
  // The integration imports what it injects, so `go mod vendor` vendors it (as dd-trace-go's do).
  write('injrt/integration/integration.go', 'package integration\n\nimport _ "example.com/injrt/counter"\n');
  write(
    'injrt/integration/orchestrion.yml',
    `meta: { name: counter, description: counts marked calls }
aspects:
  - id: count-marked
    join-point:
      function-body:
        directive: 'count:me'
    advice:
      - prepend-statements:
          imports: { counter: example.com/injrt/counter }
          template: counter.Hit({{ printf "%q" .Function.Name }})
`,
  );
  // The exported constant differs with the tags: the package's export data does too.
  // println, not fmt: every distinct fingerprint rebuilds the standard packages the program needs.
  write('injrt/counter/counter.go', 'package counter\n\nfunc Hit(name string) { println("hit", name, "(" + Mode + ")") }\n');
  write('injrt/counter/plain.go', '//go:build !extra\n\npackage counter\n\nconst Mode = "plain"\n');
  write('injrt/counter/extra.go', '//go:build extra\n\npackage counter\n\nconst Mode = "extra"\n');
  // The same module as a workspace replaces it: another Mode.
  fs.cpSync(path.join(root, 'injrt'), path.join(root, 'injrt-ws'), { recursive: true });
  write('injrt-ws/counter/plain.go', '//go:build !extra\n\npackage counter\n\nconst Mode = "workspace"\n');
  write('app/go.mod', 'module example.com/modes\n\ngo 1.23\n\nrequire example.com/injrt v0.0.0\n\nreplace example.com/injrt => ../injrt\n');
  write('app/orchestrion.tool.go', '//go:build tools\n\npackage tools\n\nimport _ "example.com/injrt/integration"\n');
  write('app/main.go', 'package main\n\n//count:me\nfunc work() { println("working") }\n\nfunc main() { work() }\n');
  return { app: path.join(root, 'app'), root };
}

test('module, vendor and workspace modes and build tags over one GOCACHE', () => {
  const { app, root } = modules();
  const gocache = tempDir('gocache-modes');
  const exe = path.join(tempDir('out'), 'app');
  const build = (label: string, args: string[], want: string, env: Record<string, string> = {}) => {
    fs.rmSync(exe, { force: true });
    const r = run(BIN, ['go', 'build', '-o', exe, ...args, '.'], { cwd: app, env: goEnv(gocache, env) });
    assert.equal(r.code, 0, `${label}: ${describeResult(r)}`);
    const out = run(exe, [], { cwd: app });
    assert.equal(out.stderr, `hit work (${want})\nworking\n`, `${label}: the program runs with the injected package of this mode`);
  };
  const vendor = (on: boolean) => {
    if (on) assert.equal(run('go', ['mod', 'vendor'], { cwd: app, env: goEnv(gocache) }).code, 0);
    else fs.rmSync(path.join(app, 'vendor'), { recursive: true, force: true });
  };
  const workspace = (on: boolean) => {
    const file = path.join(root, 'go.work');
    if (on) fs.writeFileSync(file, 'go 1.23\n\nuse ./app\n\nreplace example.com/injrt => ./injrt-ws\n');
    else fs.rmSync(file, { force: true });
  };

  build('module mode', [], 'plain');
  build('tags on', ['-tags', 'extra'], 'extra');
  build('tags off', [], 'plain');
  vendor(true);
  build('vendor mode (implied by vendor/)', [], 'plain');
  build('vendor mode with tags', ['-mod=vendor', '-tags=extra'], 'extra');
  build('module mode beside vendor/', ['-mod=mod'], 'plain');
  build('vendor mode again', ['-mod=vendor'], 'plain');
  build('tags through GOFLAGS in vendor mode', [], 'extra', { GOFLAGS: '-tags=extra' });
  vendor(false);
  build('module mode again', [], 'plain');
  workspace(true);
  build('workspace on', [], 'workspace');
  build('workspace on, tags on', ['-tags', 'extra'], 'extra');
  build('workspace off through GOWORK', [], 'plain', { GOWORK: 'off' });
  build('workspace on again', [], 'workspace');
  workspace(false);
  build('workspace file removed', [], 'plain');
});
