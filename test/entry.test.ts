// bin/orchestrion's own fast paths (a shell script): the toolexec calls that need no
// instrumentation never start Node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, run, tempDir } from './helpers.ts';

const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
const goversion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
const compile = path.join(goroot, 'pkg', 'tool', `linux_${process.arch === 'x64' ? 'amd64' : process.arch}`, 'compile');
const env = (extra: Record<string, string> = {}) => {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e.ORCHESTRION_JOBSERVER_URL;
  if (!('ORCHESTRION_VERSION_SUFFIX' in extra)) delete e.ORCHESTRION_VERSION_SUFFIX;
  return e;
};

test('a tool orchestrion does not touch runs as it is, arguments and exit status kept', () => {
  const cwd = tempDir('entry');
  const r = run(BIN, ['toolexec', 'sh', '-c', 'echo "$0|$1" && exit 3', 'a b', "c'd"], { cwd, env: env() });
  assert.equal(r.code, 3, describeResult(r));
  assert.equal(r.stdout, "a b|c'd\n");
  const missing = run(BIN, ['toolexec', 'no-such-tool-xyz', '-V=full'], { cwd, env: env() });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /no-such-tool-xyz/);
});

test("compile -V=full under orchestrion go: the tool's line and the suffix from the environment", () => {
  const cwd = tempDir('entry');
  const r = run(BIN, ['toolexec', compile, '-V=full'], { cwd, env: env({ ORCHESTRION_VERSION_SUFFIX: 'orchestrion@v0;abc' }) });
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stdout, new RegExp(`^compile version ${goversion.replace(/\./g, '\\.')}.*:orchestrion@v0;abc\n$`));
});
