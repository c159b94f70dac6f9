// Checks of `orchestrion instrument`'s reports against what `orchestrion go build -work -a` compiled,
// shared by test/instrument.test.ts and the slow test of test/all/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './helpers.ts';

/** Applies a unified diff to `original`: the new side, exactly (`\ No newline at end of file` included). */
export function applyDiff(original: string, diff: string): string {
  const old = original.split(/(?<=\n)/).filter((l) => l !== '');
  const out: string[] = [];
  let at = 0;
  let last: string | undefined;
  for (const line of diff.split('\n').slice(2, -1)) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (h) {
      const start = Number(h[2] === '0' ? h[1] : Number(h[1]) - 1);
      while (at < start) out.push(old[at++]!);
      continue;
    }
    const [mark, text] = [line[0], line.slice(1)];
    if (mark === '\\') {
      if (last !== '-') out[out.length - 1] = out[out.length - 1]!.replace(/\n$/, '');
      continue;
    }
    last = mark;
    if (mark === ' ') {
      assert.equal(old[at]!.replace(/\n$/, ''), text, 'context line differs from the original');
      out.push(old[at++]!.endsWith('\n') ? `${text}\n` : text);
    } else if (mark === '-') at++;
    else out.push(`${text}\n`);
  }
  while (at < old.length) out.push(old[at++]!);
  return out.join('');
}

export interface JsonReport {
  root: string;
  packages: {
    importPath: string;
    name: string;
    lang: string;
    files: { path: string; name: string; woven: string | null; diff: string }[];
    references: { path: string; kind: string; aspect: string }[];
    explain?: { aspect: string; file: string; index: number; stage: string; reason: string; at?: unknown; matches?: { file: string; line: number; column: number; advice: string[] }[] }[] | null;
  }[];
}

/**
 * The woven file of cgo's output (`sqlite3.cgo1.go`, `_cgo_gotypes.go`, …) starts with a //line
 * directive naming the file cgo wrote, in the compile's own directory: `$WORK/bNNN` in a build,
 * instrument's scratch `bN` directory. Both are temporary (and the compile's `-trimpath <dir>=>`
 * takes them out of every position), so that directory is the one thing the two cannot share: it is
 * written `$OBJDIR` here. Everything else must be equal byte for byte.
 */
export const OBJDIR = '$OBJDIR';

/** `content` with its leading `//line <dir>/<name>:1:1` written `//line $OBJDIR/<name>:1:1`, when `dir` is an object directory (`…/b<N>`). */
export function normaliseObjdir(content: string, name: string, objdir?: string): string | undefined {
  const nl = content.indexOf('\n');
  const m = /^\/\/line (.+)\/([^/]+):1:1$/.exec(content.slice(0, nl));
  if (!m || m[2] !== name || !/^b\d+$/.test(path.basename(m[1]!)) || (objdir !== undefined && m[1] !== objdir)) return undefined;
  return `//line ${OBJDIR}/${name}:1:1${content.slice(nl)}`;
}

/**
 * The woven files a `-work` build left (the job server's child builds' work directories, kept inside
 * it, included), by the original file their first //line directive names; a file of cgo's output,
 * whose original is in the compile's own directory, by `$OBJDIR/<-p>/<name>` and with that
 * directory normalised (normaliseObjdir). Removes the tree.
 */
export function wovenInWork(stderr: string): Map<string, string> {
  const work = /^WORK=(.+)$/m.exec(stderr)?.[1];
  assert.ok(work, stderr);
  const found = run('find', [work, '-path', '*/orchestrion/src/*', '-name', '*.go', '-not', '-path', '*/orchestrion/src/synthetic/*'], { cwd: work }).stdout.trim().split('\n').filter(Boolean);
  const byOriginal = new Map<string, string>();
  for (const f of found) {
    let content = fs.readFileSync(f, 'utf8');
    let original = /^\/\/line (\/[^\n]*?):\d+(?::\d+)?$/m.exec(content)?.[1];
    assert.ok(original, `${f} has no //line directive naming its original`);
    const [objdir, woven] = f.split(`${path.sep}orchestrion${path.sep}src${path.sep}`) as [string, string];
    if (path.dirname(original) === objdir) {
      content = normaliseObjdir(content, path.basename(f), objdir)!;
      assert.ok(content, `${f}: cgo output without its leading //line directive`);
      original = path.join(OBJDIR, woven);
    }
    assert.ok(!byOriginal.has(original), `${original} woven twice`);
    byOriginal.set(original, content);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return byOriginal;
}

/**
 * Checks a --json report against a -work build: same files, same bytes (cgo's object directory
 * aside), diffs that apply, -o files equal to the diffs' woven sides.
 */
export function assertSameAsBuild(report: JsonReport, built: Map<string, string>, outDir?: string) {
  const reported = new Map<string, string>();
  for (const p of report.packages) {
    for (const f of p.files) {
      // cgo's output: the original is go list's cache entry, the name the one a build gives it.
      const cgo = !f.path.endsWith('.go');
      const base = cgo ? path.basename(f.name) : path.basename(f.path);
      assert.equal(f.name, `${p.importPath}/${base}`);
      assert.ok(f.diff.startsWith(`--- a/${f.name}\n+++ b/${f.name}\n@@ `), f.diff.slice(0, 200));
      let woven = applyDiff(fs.readFileSync(f.path, 'utf8'), f.diff);
      if (outDir) {
        assert.equal(f.woven, path.join(outDir, p.importPath, base));
        assert.equal(fs.readFileSync(f.woven!, 'utf8'), woven, `${f.woven}: -o bytes differ from the diff`);
      } else assert.equal(f.woven, null);
      let key = f.path;
      if (cgo) {
        const normalised = normaliseObjdir(woven, base);
        assert.ok(normalised, `${f.name}: cgo output without a leading //line naming its object directory: ${woven.slice(0, 200)}`);
        woven = normalised;
        key = path.join(OBJDIR, p.name === 'main' ? 'main' : p.importPath, base);
      }
      reported.set(key, woven);
    }
  }
  assert.deepEqual([...reported.keys()].sort(), [...built.keys()].sort(), 'the files woven by instrument and by the build');
  for (const [file, content] of reported) assert.ok(content === built.get(file), `${file}: woven bytes differ from the build's`);
}
