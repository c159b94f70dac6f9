// Unified diffs as Orchestrion's `diff` prints them: it runs `diff -u -d -a -w -B -I '^//line'` with
// the two paths as labels. So: a minimal edit script, lines compared with all white space removed,
// three lines of context taken from the original, and changes made only of blank lines or of
// `//line` directives ignored: such a change does not make a hunk on its own, but is shown when it
// falls inside one a real change makes. Colour as `diff --color` (auto) gives it.

export interface UnifiedOptions {
  /** Labels of the `---` and `+++` lines. */
  fromLabel: string;
  toLabel: string;
  /** ANSI colours (as diff --color on a terminal). */
  color?: boolean;
}

const CONTEXT = 3;
const IGNORED_LINE = /^\/\/line/;

interface Side {
  lines: string[];
  /** The last line has no newline. */
  noFinalNewline: boolean;
  /** Equivalence class of each line (equal when equal without white space). */
  keys: Int32Array;
}

/** A run of deleted lines of the original and inserted lines of the new file, at the same place. */
interface Change {
  at0: number;
  deleted: number;
  at1: number;
  inserted: number;
  ignorable: boolean;
}

function splitLines(text: string): { lines: string[]; noFinalNewline: boolean } {
  if (text === '') return { lines: [], noFinalNewline: false };
  const lines = text.split('\n');
  const noFinalNewline = lines[lines.length - 1] !== '';
  if (!noFinalNewline) lines.pop();
  return { lines, noFinalNewline };
}

function sides(a: string, b: string): [Side, Side] {
  const classes = new Map<string, number>();
  const make = (text: string): Side => {
    const { lines, noFinalNewline } = splitLines(text);
    const keys = new Int32Array(lines.length);
    lines.forEach((line, i) => {
      const k = line.replace(/[ \t\v\f\r]/g, '');
      let id = classes.get(k);
      if (id === undefined) classes.set(k, (id = classes.size));
      keys[i] = id;
    });
    return { lines, noFinalNewline, keys };
  };
  return [make(a), make(b)];
}

/**
 * Marks the lines of each side that a shortest edit script deletes or inserts: Myers' linear-space
 * refinement, which splits the problem at the middle snake of a search run from both ends at once
 * and recurses on the two halves (the way diff -d finds its scripts, so equal-length scripts tie
 * the same way).
 */
function shortestEdit(a: Int32Array, b: Int32Array): [Uint8Array, Uint8Array] {
  const gone = new Uint8Array(a.length);
  const added = new Uint8Array(b.length);
  // Furthest x reached on each diagonal k = x - y, forwards and backwards; index k + offset.
  const offset = b.length + 1;
  const fwd = new Int32Array(a.length + b.length + 3);
  const bwd = new Int32Array(a.length + b.length + 3);

  /** A point (x, y) of a shortest path from (x0, y0) to (x1, y1), on its middle snake. */
  const middle = (x0: number, x1: number, y0: number, y1: number): [number, number] => {
    const kMin = x0 - y1;
    const kMax = x1 - y0;
    const fMid = x0 - y0;
    const bMid = x1 - y1;
    const odd = ((fMid - bMid) & 1) !== 0;
    let fLo = fMid;
    let fHi = fMid;
    let bLo = bMid;
    let bHi = bMid;
    fwd[fMid + offset] = x0;
    bwd[bMid + offset] = x1;
    for (;;) {
      if (fLo > kMin) fwd[--fLo - 1 + offset] = -1;
      else fLo++;
      if (fHi < kMax) fwd[++fHi + 1 + offset] = -1;
      else fHi--;
      for (let k = fHi; k >= fLo; k -= 2) {
        const fromBelow = fwd[k - 1 + offset]!;
        const fromAbove = fwd[k + 1 + offset]!;
        let x = fromBelow >= fromAbove ? fromBelow + 1 : fromAbove;
        let y = x - k;
        while (x < x1 && y < y1 && a[x] === b[y]) {
          x++;
          y++;
        }
        fwd[k + offset] = x;
        if (odd && bLo <= k && k <= bHi && bwd[k + offset]! <= x) return [x, y];
      }
      if (bLo > kMin) bwd[--bLo - 1 + offset] = 0x7fffffff;
      else bLo++;
      if (bHi < kMax) bwd[++bHi + 1 + offset] = 0x7fffffff;
      else bHi--;
      for (let k = bHi; k >= bLo; k -= 2) {
        const fromBelow = bwd[k - 1 + offset]!;
        const fromAbove = bwd[k + 1 + offset]!;
        let x = fromBelow < fromAbove ? fromBelow : fromAbove - 1;
        let y = x - k;
        while (x > x0 && y > y0 && a[x - 1] === b[y - 1]) {
          x--;
          y--;
        }
        bwd[k + offset] = x;
        if (!odd && fLo <= k && k <= fHi && x <= fwd[k + offset]!) return [x, y];
      }
    }
  };

  const solve = (x0: number, x1: number, y0: number, y1: number): void => {
    while (x0 < x1 && y0 < y1 && a[x0] === b[y0]) {
      x0++;
      y0++;
    }
    while (x1 > x0 && y1 > y0 && a[x1 - 1] === b[y1 - 1]) {
      x1--;
      y1--;
    }
    if (x0 === x1) added.fill(1, y0, y1);
    else if (y0 === y1) gone.fill(1, x0, x1);
    else {
      const [x, y] = middle(x0, x1, y0, y1);
      solve(x0, x, y0, y);
      solve(x, x1, y, y1);
    }
  };
  solve(0, a.length, 0, b.length);
  return [gone, added];
}

/**
 * Puts each run of changed lines of one side in a canonical place among the equivalent scripts:
 * moved up while the line above equals its last line and down while the line below equals its
 * first (runs that meet merge), until it stops growing; then, of the places it can occupy, the
 * lowest where the other side changes lines at the same point (so a deletion and an insertion make
 * one change), else the lowest.
 */
function compact(changed: Uint8Array, keys: Int32Array, otherChanged: Uint8Array): void {
  // Gap u of a side: between its u-th and (u+1)-th unchanged lines.
  const otherGaps = new Set<number>();
  let u = 0;
  for (const c of otherChanged) {
    if (c) otherGaps.add(u);
    else u++;
  }
  const n = changed.length;
  let i = 0;
  let unchangedBefore = 0;
  while (i < n) {
    if (!changed[i]) {
      i++;
      unchangedBefore++;
      continue;
    }
    let start = i;
    let end = i;
    while (end < n && changed[end]) end++;
    let top: number;
    let length: number;
    do {
      length = end - start;
      while (start > 0 && keys[start - 1] === keys[end - 1]) {
        changed[--start] = 1;
        changed[--end] = 0;
        unchangedBefore--;
        while (start > 0 && changed[start - 1]) start--;
      }
      top = start;
      while (end < n && keys[start] === keys[end]) {
        changed[start++] = 0;
        changed[end++] = 1;
        unchangedBefore++;
        while (end < n && changed[end]) end++;
      }
    } while (end - start !== length);
    let back = 0;
    while (back < start - top && !otherGaps.has(unchangedBefore - back)) back++;
    if (back === start - top && !otherGaps.has(unchangedBefore - back)) back = 0;
    for (let k = 0; k < back; k++) {
      changed[--start] = 1;
      changed[--end] = 0;
    }
    unchangedBefore -= back;
    i = end;
  }
}

function isIgnorable(line: string): boolean {
  return /^[ \t\v\f\r]*$/.test(line) || IGNORED_LINE.test(line);
}

function changesOf(s0: Side, s1: Side, gone: Uint8Array, added: Uint8Array): Change[] {
  const out: Change[] = [];
  let i = 0;
  let j = 0;
  const n = gone.length;
  const m = added.length;
  while (i < n || j < m) {
    if ((i >= n || !gone[i]) && (j >= m || !added[j])) {
      i++;
      j++;
      continue;
    }
    const c: Change = { at0: i, deleted: 0, at1: j, inserted: 0, ignorable: true };
    while (i < n && gone[i]) i++;
    while (j < m && added[j]) j++;
    c.deleted = i - c.at0;
    c.inserted = j - c.at1;
    c.ignorable = s0.lines.slice(c.at0, i).every(isIgnorable) && s1.lines.slice(c.at1, j).every(isIgnorable);
    out.push(c);
  }
  return out;
}

/**
 * Groups changes into hunks: a change joins the previous hunk when the unchanged lines between them
 * are fewer than 2×context+1 (their contexts touch), or fewer than the context when it is ignorable.
 */
function hunks(changes: Change[]): Change[][] {
  const out: Change[][] = [];
  for (const c of changes) {
    const last = out[out.length - 1];
    const prev = last?.[last.length - 1];
    const gap = prev ? c.at0 - (prev.at0 + prev.deleted) : Infinity;
    if (last && gap < (c.ignorable ? CONTEXT : 2 * CONTEXT + 1)) last.push(c);
    else out.push([c]);
  }
  return out;
}

/** `a,count` of a unified hunk header, from the 0-based inclusive range [first, last]. */
function range(first: number, last: number): string {
  const a = first + 1;
  const b = last + 1;
  if (b <= a) return b < a ? `${b},0` : `${b}`;
  return `${a},${b - a + 1}`;
}

const SGR = { header: '\x1b[1m', hunk: '\x1b[36m', deleted: '\x1b[31m', added: '\x1b[32m', reset: '\x1b[0m' };

/** The unified diff of two texts; '' when they differ only in what is ignored. */
export function unifiedDiff(from: string, to: string, opts: UnifiedOptions): string {
  const [s0, s1] = sides(from, to);
  const [gone, added] = shortestEdit(s0.keys, s1.keys);
  compact(gone, s0.keys, added);
  compact(added, s1.keys, gone);
  const paint = (kind: keyof typeof SGR, line: string) => (opts.color ? `${SGR[kind]}${line}${SGR.reset}` : line);
  const out: string[] = [];
  const line = (side: Side, i: number, mark: string, kind?: 'deleted' | 'added') => {
    const text = mark + side.lines[i];
    out.push(kind ? paint(kind, text) : text);
    if (side.noFinalNewline && i === side.lines.length - 1) out.push('\\ No newline at end of file');
  };
  for (const hunk of hunks(changesOf(s0, s1, gone, added))) {
    if (hunk.every((c) => c.ignorable)) continue;
    const head = hunk[0]!;
    const tail = hunk[hunk.length - 1]!;
    const first0 = Math.max(head.at0 - CONTEXT, 0);
    const first1 = Math.max(head.at1 - CONTEXT, 0);
    const last0 = Math.min(tail.at0 + tail.deleted - 1 + CONTEXT, s0.lines.length - 1);
    const last1 = Math.min(tail.at1 + tail.inserted - 1 + CONTEXT, s1.lines.length - 1);
    if (out.length === 0) out.push(paint('header', `--- ${opts.fromLabel}`), paint('header', `+++ ${opts.toLabel}`));
    out.push(paint('hunk', `@@ -${range(first0, last0)} +${range(first1, last1)} @@`));
    let i = first0;
    for (const c of hunk) {
      for (; i < c.at0; i++) line(s0, i, ' ');
      for (let k = 0; k < c.deleted; k++) line(s0, i++, '-', 'deleted');
      for (let k = 0; k < c.inserted; k++) line(s1, c.at1 + k, '+', 'added');
    }
    for (; i <= last0; i++) line(s0, i, ' ');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
