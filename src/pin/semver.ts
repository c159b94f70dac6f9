// Ordering of Go module versions, with the rules of golang.org/x/mod/semver: `vMAJOR[.MINOR[.PATCH]]`
// with an optional `-prerelease` and `+build` (ignored); `v1` and `v1.2` stand for `v1.0.0` and
// `v1.2.0`; a prerelease sorts before its release; an invalid version sorts before every valid one.

interface Parsed {
  numbers: [string, string, string];
  prerelease: string[];
}

const VERSION = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

function parse(v: string): Parsed | undefined {
  const m = VERSION.exec(v);
  if (!m) return undefined;
  const prerelease = m[4] === undefined ? [] : m[4].split('.');
  // Numeric prerelease identifiers must not have leading zeros.
  if (prerelease.some((id) => /^0\d+$/.test(id))) return undefined;
  return { numbers: [m[1]!, m[2] ?? '0', m[3] ?? '0'], prerelease };
}

/** Compares decimal strings without leading zeros. */
function compareNumeric(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return compareNumeric(x, y);
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** -1, 0 or 1 as `a` is lower than, equal to or higher than `b`. */
export function compareSemver(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa === pb ? 0 : pa ? 1 : -1;
  for (let i = 0; i < 3; i++) {
    const d = compareNumeric(pa.numbers[i]!, pb.numbers[i]!);
    if (d !== 0) return d;
  }
  return comparePrerelease(pa.prerelease, pb.prerelease);
}
