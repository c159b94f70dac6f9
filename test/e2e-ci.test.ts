// Worker-scaled CI (issue 12): workers building the dd-trace-go example app share one real
// bazel-remote through `orchestrion cacheprog`. Each worker has its own checkout path, module cache,
// GOCACHE, cacheprog directory and orchestrion cache, as separate CI machines would. The second
// worker compiles nothing (but the one package whose key Go itself makes path-dependent) and
// links the first one's bytes; with the remote down, a third builds
// from scratch, correctly, to the same bytes (the woven output is deterministic).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BazelRemote } from './bazel-remote.ts';
import { assertAppTrace } from './ddtrace-app.ts';
import { runWithAgent } from './fakeagent.ts';
import { BIN, compiledPackages, describeResult, goEnv, logEvents, ROOT, run, tempDir } from './helpers.ts';

const BUILD_TIMEOUT = 1_800_000;
const machineModCache = run('go', ['env', 'GOMODCACHE'], { cwd: ROOT }).stdout.trim();

interface Worker {
  app: string;
  exe: string;
  log: string;
  /** The overhead report of its last build (ORCHESTRION_STATS). */
  stats(): { compiles: number };
  build(extraArgs?: string[]): ReturnType<typeof run>;
}

/** A CI machine: the app checked out at its own path; `freshModCache` fills a module cache of its own from the machine's download cache (as from a proxy). */
function worker(name: string, remoteURL: string, freshModCache: boolean): Worker {
  const base = tempDir(`ci-${name}`);
  const app = path.join(base, 'checkouts', name, 'traced');
  fs.cpSync(path.join(ROOT, 'examples', 'traced'), app, { recursive: true });
  // Older than the 100 ms a suffix computed from just-changed files is refused for (src/cache/suffix.ts).
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  const log = path.join(base, 'log.jsonl');
  const exe = path.join(base, 'traced');
  const env = goEnv(path.join(base, 'gocache'), {
    GOCACHEPROG: `${BIN} cacheprog -dir ${path.join(base, 'cacheprog')} -remote ${remoteURL}`,
    ORCHESTRION_CACHE_DIR: path.join(base, 'orchestrion'),
    ORCHESTRION_LOG_FILE: log,
    ORCHESTRION_STATS: path.join(base, 'stats.json'),
    // The same GOFLAGS everywhere: they are part of every key.
    GOFLAGS: '-modcacherw',
    ...(freshModCache && { GOMODCACHE: path.join(base, 'mod'), GOPROXY: `file://${machineModCache}/cache/download`, GOSUMDB: 'off' }),
  });
  fs.mkdirSync(path.join(base, 'gocache'));
  return {
    app,
    exe,
    log,
    stats: () => JSON.parse(fs.readFileSync(path.join(base, 'stats.json'), 'utf8')) as { compiles: number },
    build: (extraArgs = []) => run(BIN, ['go', 'build', '-trimpath', ...extraArgs, '-o', exe, '.'], { cwd: app, env, timeoutMs: BUILD_TIMEOUT }),
  };
}

/** The -V=full suffix the worker's build ran with. */
const suffixOf = (w: Worker) => logEvents(w.log).find((e) => e.event === 'wrapper.go')?.suffix;

/** Compile commands in `go build -x` output (through toolexec they name the compile tool). */
const compileCommands = (stderr: string) => stderr.split('\n').filter((l) => /\/compile(\.exe)?\s+-o\s/.test(l) || /\/compile(\.exe)?"?\s.*-p\s/.test(l));

test('CI workers share one bazel-remote: the second compiles nothing and links the same bytes; with the remote down a third builds them from scratch', async () => {
  const remote = await BazelRemote.start(tempDir('bazel-remote'));
  try {
    const w1 = worker('one', remote.url, false);
    const r1 = w1.build();
    assert.equal(r1.code, 0, describeResult(r1));
    assert.ok(remote.casFiles().length > 100, `the remote holds ${remote.casFiles().length} bodies`);
    const run1 = await runWithAgent([w1.exe], { cwd: w1.app });
    assertAppTrace(run1);

    const w2 = worker('two', remote.url, true);
    const r2 = w2.build(['-x']);
    assert.equal(r2.code, 0, describeResult(r2));
    assert.equal(suffixOf(w2), suffixOf(w1));
    // Its suffix came from the shared cache (its module cache was still empty then).
    assert.deepEqual(logEvents(w2.log).filter((e) => e.event === 'wrapper.shared-suffix').map((e) => e.used), [true]);
    // Nothing compiled but go-sqlite3, which plain Go recompiles too: its `#cgo CFLAGS: -I.` is
    // made absolute (the package's directory in the module cache) and cmd/go hashes the flags.
    const compiled = compileCommands(r2.stderr).map((l) => /\s-p\s+(\S+)/.exec(l)?.[1]);
    assert.deepEqual(compiled, ['github.com/mattn/go-sqlite3'], 'worker two ran the compiler');
    assert.deepEqual(compiledPackages(w2.log), ['github.com/mattn/go-sqlite3'], 'worker two instrumented packages');
    assert.ok(fs.readFileSync(w2.exe).equals(fs.readFileSync(w1.exe)), 'worker two linked other bytes');
    // Worker one stored what its go commands fetched or built (the prefetch index); worker two's
    // cacheprogs, go's and the child build's, brought their parts ahead of go's gets.
    assert.equal(logEvents(w1.log).filter((e) => e.event === 'wrapper.index').length, 1);
    const index = logEvents(w2.log).filter((e) => e.event === 'wrapper.shared-index');
    assert.equal(index.length, 1);
    assert.ok(index[0]!.used === true && (index[0]!.main as number) > 0 && (index[0]!.child as number) > 0, JSON.stringify(index[0]));
    const prefetched = logEvents(w2.log).filter((e) => e.event === 'cacheprog.prefetch' && (e.fetched as number) > 0);
    assert.ok(prefetched.length >= 2, JSON.stringify(prefetched));

    await remote.kill();
    const w3 = worker('three', remote.url, false);
    const r3 = w3.build();
    assert.equal(r3.code, 0, describeResult(r3));
    // Compiles through Node or run directly by bin/orchestrion (the compile gate): all of them.
    assert.ok(w3.stats().compiles > 100, `worker three did not build from scratch: ${JSON.stringify(w3.stats())}`);
    assert.ok(fs.readFileSync(w3.exe).equals(fs.readFileSync(w1.exe)), 'a build from scratch gave other bytes');
    assertAppTrace(await runWithAgent([w3.exe], { cwd: w3.app }));
  } finally {
    await remote.kill();
  }
});
