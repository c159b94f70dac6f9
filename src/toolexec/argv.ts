// Parsing of the command lines cmd/go gives the compiler and the linker. Lenient: only the flags
// orchestrion reads matter, but the flags that take a value must be known to find the file list.
// Unknown flags are kept as they are.

export type ToolKind = 'compile' | 'link' | 'other';

/** Compile flags that take a value (go1.26 `go tool compile -help`); all others are booleans. */
const COMPILE_VALUE_FLAGS = new Set(
  'D I asmhdr bench blockprofile buildid c coveragecfg cpuprofile d embedcfg env gendwarfinl goversion importcfg installsuffix json lang linkobj memprofile memprofilerate mutexprofile o p pgoprofile spectre symabis traceprofile trimpath'.split(' '),
);
/** Link flags that take a value. */
const LINK_VALUE_FLAGS = new Set(
  'B E H I L R T X benchmark benchmarkprofile buildid buildmode capturehostobjs cpuprofile extar extld extldflags fipso funcalign importcfg installsuffix k libgcc linkmode memprofile memprofilerate o pluginpath r randlayout strictdups tmpdir debugtextsize debugtramp'.split(' '),
);

export function toolKind(tool: string): ToolKind {
  const base = tool.slice(tool.lastIndexOf('/') + 1).replace(/\.exe$/, '');
  return base === 'compile' ? 'compile' : base === 'link' ? 'link' : 'other';
}

export interface ParsedCommand {
  kind: ToolKind;
  /** Full argv, tool path first. */
  args: string[];
  /** Flag name (without dashes) → { index of the value in args, value }. Last occurrence wins. */
  flags: Map<string, { index: number; value: string; inline: boolean }>;
  /** Index in args of the first positional argument. */
  firstPositional: number;
  /** `-V`, `-V=full`: the go command asks for the tool's identity. */
  showVersion: boolean;
}

export function parseCommand(args: string[]): ParsedCommand {
  if (args.length === 0) throw new Error('unexpected empty command arguments');
  const kind = toolKind(args[0]!);
  const valueFlags = kind === 'link' ? LINK_VALUE_FLAGS : COMPILE_VALUE_FLAGS;
  const flags: ParsedCommand['flags'] = new Map();
  let showVersion = false;
  let i = 1;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (name === 'V') showVersion = true;
    if (eq >= 0) {
      flags.set(name, { index: i, value: body.slice(eq + 1), inline: true });
    } else if (kind !== 'other' && valueFlags.has(name) && i + 1 < args.length) {
      flags.set(name, { index: i + 1, value: args[i + 1]!, inline: false });
      i++;
    } else {
      flags.set(name, { index: i, value: 'true', inline: true });
    }
  }
  return { kind, args, flags, firstPositional: i, showVersion };
}

export function flagValue(cmd: ParsedCommand, name: string): string | undefined {
  return cmd.flags.get(name)?.value;
}

/** Returns a copy of args with flag `name` set to `value` (which must be present). */
export function withFlag(cmd: ParsedCommand, args: string[], name: string, value: string): string[] {
  const f = cmd.flags.get(name);
  if (!f) throw new Error(`argument "-${name}" not found in ${JSON.stringify(args)}`);
  const out = args.slice();
  out[f.index] = f.inline ? `-${name}=${value}` : value;
  return out;
}

export function positionals(cmd: ParsedCommand): string[] {
  return cmd.args.slice(cmd.firstPositional);
}

/** Compares Go language versions (`go1.22`, `go1.21.3`); negative when a < b. */
export function compareGoVersions(a: string, b: string): number {
  const parse = (v: string) => v.replace(/^go/, '').split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
