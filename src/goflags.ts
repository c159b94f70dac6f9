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

/**
 * Splits GOFLAGS as cmd/go does (cmd/internal/quoted.Split): fields separated by spaces, tabs and
 * newlines; a field that starts with a single or double quote runs to the next such quote, with no
 * unescaping inside. So `'-toolexec=/path/orchestrion toolexec'` is one flag.
 */
export function splitGoFlags(s: string): string[] {
  const out: string[] = [];
  const space = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  let i = 0;
  while (i < s.length) {
    while (i < s.length && space(s[i])) i++;
    if (i >= s.length) break;
    const quote = s[i];
    if (quote === "'" || quote === '"') {
      const end = s.indexOf(quote, i + 1);
      if (end < 0) throw new Error(`parsing $GOFLAGS: unterminated ${quote} string`);
      out.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const start = i;
    while (i < s.length && !space(s[i])) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** The inverse of splitGoFlags (cmd/internal/quoted.Join): a field with spaces or quotes is quoted. */
export function joinGoFlags(fields: string[]): string {
  return fields
    .map((f) => {
      if (f !== '' && !/[\s'"]/.test(f)) return f;
      if (!f.includes("'")) return `'${f}'`;
      if (!f.includes('"')) return `"${f}"`;
      throw new Error(`GOFLAGS field ${f} contains both single and double quotes`);
    })
    .join(' ');
}

/** Parses `<subcommand> args…` (GOFLAGS first, the command line wins). */
export function parseGoFlags(subcommandArgs: string[], goflagsEnv = ''): GoFlags {
  const flags: GoFlags = { short: new Set(), long: new Map() };
  let env: string[] = [];
  try {
    env = splitGoFlags(goflagsEnv);
  } catch {
    // go itself refuses such GOFLAGS, before any build.
  }
  const words = [...env, ...subcommandArgs.slice(1)];
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

/** Flags of go build, run and test that take a value besides LONG's (`-o out`, `-run X`, …). */
const VALUED = new Set([
  'C', 'o', 'p', 'exec', 'run', 'skip', 'bench', 'benchtime', 'count', 'cpu', 'parallel', 'timeout', 'shuffle', 'fuzz', 'fuzztime', 'fuzzminimizetime', 'list', 'vet',
  'coverprofile', 'cpuprofile', 'memprofile', 'memprofilerate', 'blockprofile', 'blockprofilerate', 'mutexprofile', 'mutexprofilefraction', 'trace', 'outputdir',
]);

/**
 * The words after the flags of `<subcommand> args…`: the packages (and, for run and test, what
 * follows them), where cmd/go's flag parsing stops at the first word that is not a flag.
 */
export function goPositionals(subcommandArgs: string[]): string[] {
  const words = subcommandArgs.slice(1);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return words.slice(i + 1);
    if (!w.startsWith('-') || w === '-') return words.slice(i);
    const body = w.replace(/^--?/, '');
    if (body.includes('=')) continue;
    if (LONG.has(body) || VALUED.has(body)) i++;
  }
  return [];
}

/** The flags as arguments for a child `go` command: without -a (never force rebuilds) and -toolexec (set by the caller). */
export function childBuildArgs(flags: GoFlags): string[] {
  const out: string[] = [];
  for (const s of [...flags.short].sort()) if (s !== 'a' && s !== 'work') out.push(`-${s}`);
  for (const [k, v] of [...flags.long].sort(([a], [b]) => (a < b ? -1 : 1))) if (k !== 'toolexec') out.push(`-${k}=${v}`);
  return out;
}

/** The value of the last -toolexec in GOFLAGS (cmd/go lets a later flag win), if any. */
export function goflagsToolexec(goflags: string | undefined): string | undefined {
  let value: string | undefined;
  for (const w of splitGoFlags(goflags ?? '')) {
    const m = /^--?toolexec(?:=(.*))?$/s.exec(w);
    if (m) value = m[1] ?? '';
  }
  return value;
}

/**
 * GOFLAGS without -toolexec: child `go` commands of the server must not recurse into orchestrion.
 * Fields are split and re-quoted as cmd/go splits them, so the quoted form
 * `'-toolexec=/path/orchestrion toolexec'` goes as a whole. GOFLAGS that cmd/go could not parse
 * either (or that cannot be re-quoted) is passed on as it is, for go to report.
 */
export function stripToolexec(goflags: string | undefined): string {
  try {
    return joinGoFlags(splitGoFlags(goflags ?? '').filter((w) => !/^--?toolexec(=|$)/.test(w)));
  } catch {
    return goflags ?? '';
  }
}

/** Whether a go command line asks for -v (GOFLAGS first, then the subcommand's flags). */
export function wantsVerbose(subcommandArgs: string[], goflagsEnv = ''): boolean {
  for (const w of [...goflagsEnv.split(/\s+/), ...subcommandArgs.slice(1)]) {
    if (w === '--' || w === '-args') break;
    if (/^--?v(=(1|t|true|TRUE|True|T))?$/.test(w)) return true;
  }
  return false;
}
