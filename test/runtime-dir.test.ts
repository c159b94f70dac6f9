// The runtime directory that holds the job servers' sockets is used only when it is ours alone: a
// real directory owned by the current user that no one else can write. When its name is taken by
// another user's directory, a world-writable one or a link, builds fall back to the next name
// (`orchestrion-ts-<uid>-1`, …) and say so, never touching the other; toolexec calls refuse a
// server whose socket another user could have put there. Run as root here: "another user" is
// nobody (65534), made the owner with chown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, describeResult, goEnv, logEvents, run, tempDir, tempModule, type Result } from './helpers.ts';

const logs = tempDir('logs');
let logCount = 0;
/** A fresh ORCHESTRION_LOG_FILE path. */
const newLog = () => path.join(logs, `${++logCount}.jsonl`);
const NOBODY = 65534;
const uid = process.getuid!();
const mod = tempModule('test/fixtures/traced');
const gocache = tempDir('gocache');
const exe = path.join(tempDir('out'), 'traced');
const scratchBase = tempDir('scratch');
/** A fresh directory under this file's scratch directory. */
const scratch = (prefix: string) => fs.mkdtempSync(path.join(scratchBase, `${prefix}-`));
let edits = 0;

function describeDir(dir: string): string {
  const st = fs.lstatSync(dir);
  return `uid ${st.uid} mode ${(st.mode & 0o7777).toString(8)} entries ${st.isDirectory() ? fs.readdirSync(dir).join(',') : '-'}`;
}

/**
 * A build whose main package is recompiled (so a toolexec call talks to the job server), with the
 * runtime directory's base at `xdg`; returns the result and the directory of the server's socket.
 */
function build(xdg: string, args: 'orchestrion' | 'toolexec' = 'orchestrion'): { r: Result; socketDir: string | undefined } {
  fs.appendFileSync(path.join(mod, 'main.go'), `\n// edit ${++edits}\n`);
  const log = newLog();
  const env = goEnv(gocache, { XDG_RUNTIME_DIR: xdg, ORCHESTRION_LOG_FILE: log });
  const r =
    args === 'orchestrion'
      ? run(BIN, ['go', 'build', '-o', exe, '.'], { cwd: mod, env })
      : run('go', ['build', '-toolexec', `${BIN} toolexec`, '-o', exe, '.'], { cwd: mod, env });
  const url = logEvents(log).find((e) => e.event === 'server.listen')?.url as string | undefined;
  return { r, socketDir: url && path.dirname(path.dirname(url.slice('unix:'.length))) };
}

function assertInstrumented(r: Result): void {
  assert.equal(r.code, 0, describeResult(r));
  assert.doesNotMatch(r.stderr, /EPERM/);
  assert.match(run(exe, [], { cwd: mod }).stdout, /^ADVICE-V1 work\n/);
}

test("another user's directory under our name: the build falls back to orchestrion-ts-<uid>-1 and leaves it alone", () => {
  const xdg = scratch('xdg');
  const theirs = path.join(xdg, `orchestrion-ts-${uid}`);
  fs.mkdirSync(theirs, { mode: 0o755 });
  fs.chmodSync(theirs, 0o755);
  fs.chownSync(theirs, NOBODY, NOBODY);
  const before = describeDir(theirs);
  const { r, socketDir } = build(xdg);
  assertInstrumented(r);
  assert.equal(socketDir, `${theirs}-1`);
  assert.equal(describeDir(theirs), before);
  // Nothing left but the compile gate's facts, which outlive builds by design.
  assert.equal(describeDir(`${theirs}-1`), `uid ${uid} mode 700 entries gate-facts`);
  assert.ok(r.stderr.includes(`warning: not using ${theirs} (owned by uid ${NOBODY}, not by the current user (uid ${uid}))`), r.stderr);
});

test('a directory of ours others can write is passed over; one they can only read is made private and used', () => {
  const xdg = scratch('xdg');
  const open = path.join(xdg, `orchestrion-ts-${uid}`);
  fs.mkdirSync(open);
  fs.chmodSync(open, 0o777);
  const { r, socketDir } = build(xdg);
  assertInstrumented(r);
  assert.equal(socketDir, `${open}-1`);
  assert.equal(describeDir(open), `uid ${uid} mode 777 entries `);
  assert.match(r.stderr, /not using \S+ \(writable by its group and others \(mode 0777\)\)/);

  const readable = scratch('xdg');
  const ours = path.join(readable, `orchestrion-ts-${uid}`);
  fs.mkdirSync(ours);
  fs.chmodSync(ours, 0o755);
  const again = build(readable);
  assertInstrumented(again.r);
  assert.equal(again.socketDir, ours);
  assert.equal(describeDir(ours), `uid ${uid} mode 700 entries gate-facts`);
  assert.doesNotMatch(again.r.stderr, /warning/);
});

test('a symbolic link under our name is not followed', () => {
  const xdg = scratch('xdg');
  const elsewhere = scratch('elsewhere');
  fs.chmodSync(elsewhere, 0o700);
  const link = path.join(xdg, `orchestrion-ts-${uid}`);
  fs.symlinkSync(elsewhere, link);
  const { r, socketDir } = build(xdg);
  assertInstrumented(r);
  assert.equal(socketDir, `${link}-1`);
  assert.equal(fs.readlinkSync(link), elsewhere);
  assert.match(r.stderr, /\(it is a symbolic link\)/);
});

test('daemon mode (plain go build -toolexec) falls back to the same directory in every toolexec call', () => {
  const xdg = scratch('xdg');
  const theirs = path.join(xdg, `orchestrion-ts-${uid}`);
  fs.mkdirSync(theirs);
  fs.chownSync(theirs, NOBODY, NOBODY);
  const before = describeDir(theirs);
  const { r, socketDir } = build(xdg, 'toolexec');
  assertInstrumented(r);
  assert.equal(socketDir, `${theirs}-1`);
  assert.equal(describeDir(theirs), before);
});

test('when every name is taken, the build fails naming the directories and why', () => {
  const xdg = scratch('xdg');
  for (let n = 0; n <= 9; n++) {
    const d = path.join(xdg, `orchestrion-ts-${uid}${n ? `-${n}` : ''}`);
    fs.mkdirSync(d);
    fs.chownSync(d, NOBODY, NOBODY);
  }
  const { r } = build(xdg);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, new RegExp(`no safe runtime directory for the job server's socket under ${xdg}: ${xdg}/orchestrion-ts-${uid} \\(owned by uid ${NOBODY}, not by the current user \\(uid ${uid}\\)\\);`));
  assert.doesNotMatch(r.stderr, /EPERM/);
  for (const name of fs.readdirSync(xdg)) assert.deepEqual(fs.readdirSync(path.join(xdg, name)), [], `${name} was written to`);
});

/** Runs a toolexec call that asks the server named by `url` for the `-V=full` suffix. */
function toolexecVersion(url: string): Promise<Result> {
  const gotooldir = run('go', ['env', 'GOTOOLDIR'], { cwd: mod }).stdout.trim();
  return new Promise((resolve) => {
    execFile(BIN, ['toolexec', path.join(gotooldir, 'compile'), '-V=full'], { cwd: mod, env: goEnv(gocache, { ORCHESTRION_JOBSERVER_URL: url }), timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

test('a toolexec call refuses a job server whose socket or its directory is not ours alone', async () => {
  const cases: [string, (dir: string, sock: string) => void, RegExp][] = [
    ['directory owned by another user', (dir) => fs.chownSync(dir, NOBODY, NOBODY), new RegExp(`its directory \\S+ is owned by uid ${NOBODY}, not by the current user`)],
    ['directory others can write', (dir) => fs.chmodSync(dir, 0o733), /its directory \S+ is writable by its group and others \(mode 0733\)/],
    ['socket owned by another user', (_, sock) => fs.lchownSync(sock, NOBODY, NOBODY), new RegExp(`it is owned by uid ${NOBODY}, not by the current user`)],
  ];
  for (const [what, spoil, message] of cases) {
    const dir = path.join(scratch('sock'), 'go-x');
    fs.mkdirSync(dir, { mode: 0o700 });
    const sock = path.join(dir, 'server.sock');
    let connections = 0;
    // Would answer like a job server: a call that talks to it prints its suffix and succeeds.
    const server = net.createServer((s) => {
      connections++;
      s.on('data', (b) => {
        for (const line of b.toString().split('\n').filter(Boolean)) {
          const { id } = JSON.parse(line) as { id: number };
          s.write(JSON.stringify({ id, result: { suffix: 'orchestrion@v0.0.0;planted' } }) + '\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const url = `unix:${sock}`;
      // Untouched, the call talks to it: the refusals below are the checks', not a broken set-up.
      if (what === cases[0]![0]) {
        const ok = await toolexecVersion(url);
        assert.equal(ok.code, 0, describeResult(ok));
        assert.match(ok.stdout, /:orchestrion@v0\.0\.0;planted\n$/);
        connections = 0;
      }
      spoil(dir, sock);
      const r = await toolexecVersion(url);
      assert.notEqual(r.code, 0, `${what}: ${describeResult(r)}`);
      assert.ok(r.stderr.includes(`refusing the job server at ${url} (ORCHESTRION_JOBSERVER_URL): `), `${what}: ${r.stderr}`);
      assert.match(r.stderr, message, what);
      assert.equal(connections, 0, `${what}: the call connected`);
    } finally {
      server.close();
    }
  }
});
