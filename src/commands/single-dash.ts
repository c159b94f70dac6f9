// Orchestrion's commands take Go-style flags (`-validate`, `-prune=false`), which oclif does not
// read: its long flags have two dashes and its booleans no `=value`. This rewrites the Go forms of a
// command's own boolean flags into oclif's (`--validate`, `--no-prune`) before parsing.

/** Go's strconv.ParseBool spellings. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * `-name`, `--name`, `-name=<bool>` and `--name=<bool>` of the given boolean flags become `--name` or
 * `--no-name`; `-help` and `-h` become `--help`. Arguments after `--` are left alone, as is anything
 * else (oclif reports what it does not know).
 */
export function normalizeBoolFlags(argv: string[], booleans: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '-help' || arg === '-h') {
      out.push('--help');
      continue;
    }
    const m = /^--?([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m || !booleans.includes(m[1]!)) {
      out.push(arg);
      continue;
    }
    const value = m[2];
    if (value === undefined || TRUE.has(value)) out.push(`--${m[1]}`);
    else if (FALSE.has(value)) out.push(`--no-${m[1]}`);
    else throw new Error(`invalid boolean value "${value}" for flag -${m[1]}: parse error`);
  }
  return out;
}
