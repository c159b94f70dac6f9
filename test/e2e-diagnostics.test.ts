// Compile errors under orchestrion read as the compiler's: a user's syntax or type error is
// reported byte for byte as plain `go build` reports it (the package is compiled unwoven), and an
// error in generated code keeps the compiler's text and names the aspect and its orchestrion.yml.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, run, tempDir, tempModule } from './helpers.ts';

const gocache = tempDir('gocache-diagnostics');
const env = goEnv(gocache);

/** The traced fixture with main.go replaced; every function of it is traced by the fixture's aspect. */
function moduleWithMain(main: string): string {
  const dir = tempModule('test/fixtures/traced');
  fs.writeFileSync(path.join(dir, 'main.go'), main);
  return dir;
}

function bothBuilds(dir: string) {
  const plain = run('go', ['build', '-o', path.join(dir, 'plain.bin'), '.'], { cwd: dir, env });
  const woven = run(BIN, ['go', 'build', '-o', path.join(dir, 'woven.bin'), '.'], { cwd: dir, env });
  return { plain, woven };
}

test('a syntax error in user code is reported exactly as plain go build reports it', () => {
  const dir = moduleWithMain('package main\n\nimport "fmt"\n\n//test:traced\nfunc main() {\n\tfmt.Println("a"\n}\n');
  const { plain, woven } = bothBuilds(dir);
  assert.notEqual(plain.code, 0, describeResult(plain));
  assert.match(plain.stderr, /main\.go:7:17: syntax error: unexpected newline in argument list; possibly missing comma or \)/);
  assert.equal(woven.stderr, plain.stderr, describeResult(woven));
  assert.equal(woven.code, plain.code);
});

test('a type error in woven user code is reported exactly as plain go build reports it', () => {
  const dir = moduleWithMain('package main\n\nimport "fmt"\n\n//test:traced\nfunc main() {\n\tvar x int = "s"\n\tfmt.Println(x)\n}\n');
  const { plain, woven } = bothBuilds(dir);
  assert.notEqual(plain.code, 0, describeResult(plain));
  assert.match(plain.stderr, /main\.go:7:14: cannot use "s"/);
  assert.equal(woven.stderr, plain.stderr, describeResult(woven));
  assert.equal(woven.code, plain.code);
});
