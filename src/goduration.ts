// Go's duration syntax (time.ParseDuration), for flags Orchestrion users write the Go way:
// `-inactivity-timeout=15m`, `90s`, `1h30m`, `250ms`. A bare 0 is zero; anything else needs units.
const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or throws an error naming `what` and the value, as Go's flag package does. */
export function parseGoDuration(value: string, what: string): number {
  const bad = () => new Error(`invalid value ${JSON.stringify(value)} for ${what}: time: invalid duration ${JSON.stringify(value)}`);
  let s = value.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad();
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m) throw bad();
    total += Number(m[1]) * UNITS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}
