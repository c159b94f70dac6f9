// The -V=full suffix shared through GOCACHEPROG: a second worker (another checkout path, an empty
// orchestrion cache) takes it from the shared cache instead of loading the configuration, and an
// entry whose inputs differ here (an edited local injected package) is not used.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, compiledPackages, describeResult, goEnv, logEvents, ROOT, run, tempDir } from './helpers.ts';

function checkout(): string {
  const parent = path.join(tempDir('worker'), 'src');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'inject'), parent, { recursive: true });
  // A suffix computed from files changed less than 100 ms before is not stored (racy, see
  // src/cache/suffix.ts): a CI checkout is older than that when the build starts.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  return path.join(parent, 'app');
}

function events(log: string, event: string) {
  return logEvents(log).filter((e) => e.event === event);
}

test('a worker takes the suffix another computed from the shared cache, unless an input differs', () => {
  const shared = tempDir('cacheprog');
  const prog = `${BIN} cacheprog -dir ${shared}`;
  const build = (app: string, args: string[]) => {
    const log = path.join(tempDir('log'), 'log.jsonl');
    const env = goEnv(tempDir('gocache'), { GOCACHEPROG: prog, ORCHESTRION_CACHE_DIR: tempDir('orch'), ORCHESTRION_LOG_FILE: log });
    const r = run(BIN, ['go', 'build', '-trimpath', ...args, '.'], { cwd: app, env });
    assert.equal(r.code, 0, describeResult(r));
    return log;
  };
  const logA = build(checkout(), ['-o', path.join(tempDir('out'), 'app')]);
  assert.deepEqual(events(logA, 'wrapper.shared-suffix').map((e) => e.found), [false]);
  const suffixA = events(logA, 'config.load')[0]?.suffix;
  assert.ok(suffixA);

  const logB = build(checkout(), ['-o', path.join(tempDir('out'), 'app')]);
  assert.deepEqual(events(logB, 'wrapper.shared-suffix').map((e) => e.used), [true]);
  assert.equal(events(logB, 'config.load')[0]?.suffix ?? suffixA, suffixA);
  assert.deepEqual(compiledPackages(logB), [], 'worker B compiled packages');

  // An injected package of the checkout differs: the entry is found, not used, and the suffix
  // computed here differs (go is asked for the plan only).
  const appC = checkout();
  const rt = path.join(appC, '..', 'runtime', 'rt', 'rt.go');
  fs.writeFileSync(rt, fs.readFileSync(rt, 'utf8').replace('rt: enter', 'rt: entering'));
  const logC = build(appC, ['-n']);
  assert.deepEqual(events(logC, 'wrapper.shared-suffix').map((e) => [e.found, e.used]), [[true, false]]);
  const suffixC = events(logC, 'config.load')[0]?.suffix;
  assert.ok(suffixC);
  assert.notEqual(suffixC, suffixA);
});
