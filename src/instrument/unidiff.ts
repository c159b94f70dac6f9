// Unified diffs (`diff -u` / git style) between two texts, line by line: Myers' O(ND) shortest edit
// script, then hunks with three lines of context.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Splits into lines, each keeping its newline; the last one may lack it. */
function lines(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** The shortest edit script from `a` to `b` (Myers 1986, with the trace kept for the walk back). */
function editScript(a: string[], b: string[]): Op[] {
  // Common prefix and suffix cost nothing: most woven files differ in a few places.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = n === 0 && m === 0;
  for (let d = 0; d <= max && !done; d++) {
    // What iteration d reads: diagonals -d-1 … d+1 of the previous one (index k + d + 1).
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk back through the trace, from (n, m) to (0, 0).
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = (k: number) => trace[d]![k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd(k - 1) < vd(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      middle.push({ kind: ' ', line: A[--x]! });
    }
    if (d > 0) {
      if (x === prevX) middle.push({ kind: '+', line: B[--y]! });
      else middle.push({ kind: '-', line: A[--x]! });
    }
  }
  middle.reverse();
  return [...a.slice(0, pre).map((line) => ({ kind: ' ' as const, line })), ...middle, ...a.slice(a.length - suf).map((line) => ({ kind: ' ' as const, line }))];
}

/** A hunk's range as diff -u writes it, from the number of lines before it: an empty range names the line before it. */
function hunkRange(before: number, count: number): string {
  if (count === 0) return `${before},0`;
  return count === 1 ? `${before + 1}` : `${before + 1},${count}`;
}

/**
 * `--- <from>` / `+++ <to>` and the hunks turning `a` into `b`; "" when they are equal. A last line
 * without a newline is marked `\ No newline at end of file`, as diff and git do.
 */
export function unifiedDiff(a: string, b: string, from: string, to: string, context = 3): string {
  if (a === b) return '';
  const ops = editScript(lines(a), lines(b));
  const changed: number[] = [];
  ops.forEach((op, i) => op.kind !== ' ' && changed.push(i));
  let out = `--- ${from}\n+++ ${to}\n`;
  // Line numbers before each op, in a and in b.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 0;
  let lb = 0;
  for (const op of ops) {
    posA.push(la);
    posB.push(lb);
    if (op.kind !== '+') la++;
    if (op.kind !== '-') lb++;
  }
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i]! - context);
    let end = changed[i]! + 1;
    // Changes closer than twice the context share a hunk.
    while (i + 1 < changed.length && changed[i + 1]! - end < 2 * context) end = changed[++i]! + 1;
    end = Math.min(ops.length, end + context);
    i++;
    const body = ops.slice(start, end);
    const countA = body.filter((op) => op.kind !== '+').length;
    const countB = body.filter((op) => op.kind !== '-').length;
    out += `@@ -${hunkRange(posA[start]!, countA)} +${hunkRange(posB[start]!, countB)} @@\n`;
    for (const op of body) {
      out += op.kind + op.line;
      if (!op.line.endsWith('\n')) out += '\n\\ No newline at end of file\n';
    }
  }
  return out;
}
