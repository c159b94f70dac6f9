// The build flags of the user's `go` command, so that the job server's child builds (resolving
// injected packages) build with the same configuration — same flags, same build IDs, so that
// packages both builds need are compiled once.

/** Boolean build flags child builds must share. */
const SHORT = new Set(['a', 'asan', 'cover', 'linkshared', 'modcacherw', 'msan', 'race', 'trimpath', 'work']);
/** Valued build flags child builds must share. */
const LONG = new Set(['asmflags', 'buildmode', 'buildvcs', 'compiler', 'covermode', 'coverpkg', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod', 'modfile', 'overlay', 'pgo', 'pkgdir', 'tags', 'toolexec']);
/** Boolean flags of go build/test that take no value (so the next word is not theirs). */
const OTHER_BOOLS = new Set(['n', 'x', 'v', 'json', 'i', 'short', 'failfast', 'benchmem', 'c']);

export interface GoFlags {
  short: Set<string>;
  long: Map<string, string>;
}

/** Splits GOFLAGS as cmd/go does: whitespace-separated, with single or double quotes around a word. */
export function splitGoFlags(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[0].trim() === '') break;
    out.push(m[1] ?? (m[2] !== undefined ? (JSON.parse(`"${m[2]}"`) as string) : m[3]!));
  }
  return out;
}

/** Parses `<subcommand> args…` (GOFLAGS first, the command line wins). */
export function parseGoFlags(subcommandArgs: string[], goflagsEnv = ''): GoFlags {
  const flags: GoFlags = { short: new Set(), long: new Map() };
  const words = [...splitGoFlags(goflagsEnv), ...subcommandArgs.slice(1)];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') break;
    if (!w.startsWith('-') || w === '-') continue;
    const body = w.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (SHORT.has(name)) {
      if (eq < 0 || body.slice(eq + 1) === 'true') flags.short.add(name);
      else flags.short.delete(name);
    } else if (LONG.has(name)) {
      if (eq >= 0) flags.long.set(name, body.slice(eq + 1));
      else if (i + 1 < words.length) flags.long.set(name, words[++i]!);
    } else if (eq < 0 && !OTHER_BOOLS.has(name) && i + 1 < words.length && !words[i + 1]!.startsWith('-') && !isPattern(words[i + 1]!)) {
      i++; // an unknown valued flag (e.g. -p 4, -run X, -count 1)
    }
  }
  return flags;
}

function isPattern(w: string): boolean {
  return w.startsWith('.') || w.startsWith('/') || w.includes('/') || w.endsWith('.go');
}

/** The flags as arguments for a child `go` command: without -a (never force rebuilds) and -toolexec (set by the caller). */
export function childBuildArgs(flags: GoFlags): string[] {
  const out: string[] = [];
  for (const s of [...flags.short].sort()) if (s !== 'a' && s !== 'work') out.push(`-${s}`);
  for (const [k, v] of [...flags.long].sort(([a], [b]) => (a < b ? -1 : 1))) if (k !== 'toolexec') out.push(`-${k}=${v}`);
  return out;
}

/** GOFLAGS without -toolexec: child `go` commands of the server must not recurse into orchestrion. */
export function stripToolexec(goflags: string | undefined): string {
  return (goflags ?? '')
    .split(/\s+/)
    .filter((w) => w !== '' && !/^--?toolexec(=|$)/.test(w))
    .join(' ');
}
