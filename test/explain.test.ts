// `instrument` with `explain`: one verdict per aspect of the configuration, in configuration order,
// with the stage that decided it (the job server's special cases and pre-filters, then the wasm
// injector's syntax walk and type checks) and the places matched. Through the job server in-process,
// with the importcfg a compile of the fixture package would get.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test as nodeTest } from 'node:test';
import { Client } from '../src/jobserver/client.ts';
import type { AspectVerdict, InstrumentParams } from '../src/jobserver/protocol.ts';
// The compiled server: its pool starts dist/pool/worker.js (`make all` builds it).
import { JobServer } from '../dist/jobserver/server.js';
import { goEnv, tempDir } from './helpers.ts';

const CONFIG = `aspects:
  - id: matched
    tracer-internal: true
    join-point:
      function-body:
        function:
          - name: Handle
    advice:
      - prepend-statements:
          template: _ = 0
  - id: package-stage
    join-point:
      function-call: database/sql.Open
    advice:
      - wrap-expression:
          template: '{{ . }}'
  - id: file-stage
    join-point:
      function-body:
        function:
          - name: NoSuchFunction
    advice:
      - prepend-statements:
          template: _ = 1
  - id: syntax-stage
    join-point:
      function-call: net/http.Get
    advice:
      - wrap-expression:
          template: '{{ . }}'
  - id: types-stage
    join-point:
      method-call:
        receiver: net/http.Client
        name: Do
    advice:
      - wrap-expression:
          template: '{{ . }}'
  - id: comment-directive
    join-point:
      all-of:
        - directive: 'dd:span'
        - function-body:
            function: []
    advice:
      - prepend-statements:
          template: _ = 2
  - id: not-main
    join-point:
      import-path: example.com/other
    advice:
      - prepend-statements:
          template: _ = 3
`;

// Line numbers matter: the assertions below name them.
const APP = `package app

import "net/http"

type fake struct{}

func (fake) Do(r *http.Request) (*http.Response, error) { return nil, nil }

// see //dd:span in the docs: this comment is not a directive.
func Handle(r *http.Request) string {
	_, _ = fake{}.Do(r)
	return r.Header.Get("x")
}
`;

const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { timeout: 120_000 }, fn);

let server: JobServer;
let client: Client;
let base: Omit<InstrumentParams, 'importPath'>;
let appFile: string;
before(async () => {
  const mod = tempDir('explain-mod');
  fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/explain\n\ngo 1.22\n');
  fs.writeFileSync(path.join(mod, 'orchestrion.yml'), CONFIG);
  fs.mkdirSync(path.join(mod, 'app'));
  appFile = path.join(mod, 'app', 'app.go');
  fs.writeFileSync(appFile, APP);
  // The importcfg of a compile of example.com/explain/app: its direct imports' export data.
  const env = { ...goEnv(process.env.GOCACHE || execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim()) };
  const listed = execFileSync('go', ['list', '-export', '-deps', '-f', '{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}', './app'], { cwd: mod, env, encoding: 'utf8' });
  const importcfg = path.join(mod, 'importcfg');
  fs.writeFileSync(importcfg, listed.split('\n').filter((l) => /^packagefile (net\/http)=/.test(l)).join('\n') + '\n');
  const gotooldir = execFileSync('go', ['env', 'GOTOOLDIR'], { cwd: mod, encoding: 'utf8' }).trim();
  base = { packageName: 'app', files: [appFile], importcfg, lang: 'go1.22', goos: 'linux', goarch: 'amd64', tool: path.join(gotooldir, 'compile') };
  process.env.ORCHESTRION_CACHE_DIR = env.ORCHESTRION_CACHE_DIR;
  server = await JobServer.listen({ root: mod, dir: path.join(tempDir('explain-srv'), 'srv') });
  client = await Client.connect(server.url);
});
after(async () => {
  client?.close();
  await server?.close();
});

function byId(verdicts: AspectVerdict[] | undefined): Record<string, AspectVerdict> {
  assert.ok(verdicts, 'explain asked: verdicts expected');
  return Object.fromEntries(verdicts.map((v) => [v.aspect, v]));
}

test('every stage decides one aspect, with its reason; verdicts in configuration order', async () => {
  const res = await client.call('instrument', { ...base, importPath: 'example.com/explain/app', explain: true });
  assert.deepEqual(res.errors, []);
  const ids = res.explain?.map((v) => v.aspect);
  assert.deepEqual(ids, ['matched', 'package-stage', 'file-stage', 'syntax-stage', 'types-stage', 'comment-directive', 'not-main']);
  assert.deepEqual(res.explain?.map((v) => v.index), [0, 1, 2, 3, 4, 5, 6]);
  const v = byId(res.explain);
  for (const x of res.explain!) assert.match(x.file, /orchestrion\.yml$/);

  assert.equal(v['matched']!.stage, 'matched');
  assert.deepEqual(v['matched']!.matches, [{ file: appFile, line: 10, column: 37, advice: ['prepend-statements'] }]);

  assert.equal(v['package-stage']!.stage, 'package');
  assert.match(v['package-stage']!.reason, /does not import database\/sql/);
  assert.equal(v['not-main']!.stage, 'package');
  assert.match(v['not-main']!.reason, /not the import path example\.com\/other/);

  assert.equal(v['file-stage']!.stage, 'file');
  assert.match(v['file-stage']!.reason, /NoSuchFunction/);

  assert.equal(v['syntax-stage']!.stage, 'syntax');
  assert.match(v['syntax-stage']!.reason, /no call of net\/http\.Get/);

  assert.equal(v['types-stage']!.stage, 'types');
  assert.match(v['types-stage']!.reason, /net\/http\.Client/);
  assert.match(v['types-stage']!.reason, /fake/);
  assert.deepEqual(v['types-stage']!.at, { file: appFile, line: 11, column: 9 });

  // The text //dd:span passes the text search of the file-level filter, but no node carries the directive.
  assert.equal(v['comment-directive']!.stage, 'syntax');
  assert.match(v['comment-directive']!.reason, /\/\/dd:span appears, but not as a directive/);

  // The woven file is still produced, as without explain.
  assert.equal(res.files.length, 1);
  assert.match(res.files[0]!.content, /_ = 0/);
});

test('special cases: a tracer-internal path keeps only tracer-internal aspects', async () => {
  const res = await client.call('instrument', { ...base, importPath: 'github.com/DataDog/dd-trace-go/v2/contrib/x', explain: true });
  const v = byId(res.explain);
  assert.equal(res.explain?.length, 7);
  assert.equal(v['matched']!.stage, 'matched');
  for (const id of ['package-stage', 'file-stage', 'syntax-stage', 'types-stage', 'comment-directive', 'not-main']) {
    assert.equal(v[id]!.stage, 'special-case', id);
    assert.match(v[id]!.reason, /github\.com\/DataDog\/dd-trace-go .*only tracer-internal aspects/);
  }
});

test('a package ruled out by the pre-filters still gets every verdict; without explain, none', async () => {
  const res = await client.call('instrument', { ...base, importPath: 'github.com/DataDog/orchestrion/instrument', explain: true });
  assert.equal(res.skipped, true);
  assert.deepEqual(res.explain?.map((v) => v.stage), Array(7).fill('special-case'));
  assert.match(res.explain![0]!.reason, /never woven/);
  const plain = await client.call('instrument', { ...base, importPath: 'example.com/explain/app' });
  assert.equal(plain.explain, undefined);
  assert.equal(plain.files.length, 1);
  // Explained again after a plain (cached) answer: still complete.
  const before = (await client.call('stats', {})).cached;
  const again = await client.call('instrument', { ...base, importPath: 'example.com/explain/app', explain: true });
  assert.equal(byId(again.explain)['types-stage']!.stage, 'types');
  // The injector's verdicts come from the instrumentation cache (the first test stored them), and
  // the server's own verdicts are decided again.
  assert.equal((await client.call('stats', {})).cached, before + 1, 'an explained answer is cached too');
  assert.deepEqual(byId(again.explain)['matched']!.matches, [{ file: appFile, line: 10, column: 37, advice: ['prepend-statements'] }]);
});
