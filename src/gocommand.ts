// Rewriting a `go` command line to run through orchestrion (what `orchestrion go …` does).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goflagsToolexec, splitGoFlags } from './goflags.ts';

/** Subcommands that compile or link, and so get -toolexec (as in Orchestrion). */
export const TOOLEXEC_SUBCOMMANDS = new Set(['build', 'clean', 'get', 'install', 'list', 'run', 'test']);

/** What the CLI says when `go` cannot be started (ENOENT), whatever the command that needed it. */
export const GO_NOT_FOUND = 'the Go toolchain is not installed or not on PATH';

/** True for the error of a child process that could not start because its program was not found. */
export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** A command line refused before anything runs; the CLI exits with status 2, as for a usage error. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/**
 * Quotes a word for cmd/go's splitting of -toolexec (cmd/internal/quoted.Split): whole-field quotes,
 * with no unescaping inside, so a backslash stays as it is and a path with a double quote is single-quoted.
 */
export function goQuote(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

export interface GoInvocation {
  /** Directory to run in (`-C dir` as first argument is handled here, like Orchestrion does). */
  chdir?: string;
  args: string[];
  instrumented: boolean;
}

/** Flags of the compiling subcommands whose value may be the next word (`-o out`, `-tags x`). */
const VALUED = new Set([
  'C', 'o', 'p', 'asmflags', 'buildmode', 'compiler', 'covermode', 'coverpkg', 'coverprofile', 'debug-actiongraph',
  'debug-runtime-trace', 'debug-trace', 'exec', 'f', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod',
  'modfile', 'overlay', 'pgo', 'pkgdir', 'reuse', 'tags', 'toolexec',
]);

/**
 * The value of the last -toolexec among the subcommand's own flags (cmd/go keeps the last one).
 * Flag parsing ends at `--` and at the first argument that is not a flag (the program's arguments
 * of `go run`), except for `go test`, which reads its flags on both sides of the packages, up to `-args`.
 */
function commandLineToolexec(sub: string, args: string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--' || (sub === 'test' && (w === '-args' || w === '--args'))) break;
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(w);
    if (!m || w === '-') {
      if (sub === 'test') continue;
      break;
    }
    const [, name, inline] = m;
    if (name === 'toolexec') value = inline ?? args[++i] ?? '';
    else if (inline === undefined && VALUED.has(name!)) i++;
  }
  return value;
}

/** True when a -toolexec value runs this orchestrion (`<bin> toolexec`, any path to the same file). */
function isOwnToolexec(value: string, bin: string): boolean {
  let fields: string[];
  try {
    fields = splitGoFlags(value);
  } catch {
    return false;
  }
  if (fields.length !== 2 || fields[1] !== 'toolexec') return false;
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(fields[0]!) === real(bin);
}

/**
 * Inserts `-toolexec "<bin>" toolexec` right after the subcommand; other arguments are kept as they
 * are. cmd/go runs a single toolexec program, the last one given (the command line overrides
 * GOFLAGS), so another -toolexec, on the command line or in `goflags`, would silently drop either
 * the instrumentation or the user's program: it is refused with a UsageError.
 */
export function toolexecInvocation(argv: string[], bin: string, goflags: string | undefined = process.env.GOFLAGS): GoInvocation {
  let args = argv.slice();
  let chdir: string | undefined;
  if (args[0] === '-C' && args.length > 1) {
    chdir = args[1];
    args = args.slice(2);
  } else if (args[0]?.startsWith('-C=')) {
    chdir = args[0].slice(3);
    args = args.slice(1);
  }
  const sub = args[0];
  if (sub === undefined || !TOOLEXEC_SUBCOMMANDS.has(sub)) return { chdir, args, instrumented: false };
  const cmdline = commandLineToolexec(sub, args.slice(1));
  if (cmdline !== undefined && !isOwnToolexec(cmdline, bin)) {
    throw new UsageError(
      `go ${sub} -toolexec=${JSON.stringify(cmdline)}: orchestrion go runs go ${sub} with its own -toolexec, and go keeps only ` +
        `the last one, so the build would run without orchestrion's instrumentation (orchestrion go does not chain ` +
        `toolexec programs). Remove -toolexec from the command line, or run go ${sub} -toolexec yourself without orchestrion go.`,
    );
  }
  const fromEnv = goflagsToolexec(goflags);
  if (fromEnv !== undefined && fromEnv !== '' && !isOwnToolexec(fromEnv, bin)) {
    throw new UsageError(
      `GOFLAGS sets -toolexec=${JSON.stringify(fromEnv)}: orchestrion go runs go ${sub} with its own -toolexec, which ` +
        `overrides GOFLAGS, so ${JSON.stringify(fromEnv)} would silently not run (orchestrion go does not chain toolexec ` +
        `programs). Remove -toolexec from GOFLAGS for orchestrion go.`,
    );
  }
  return { chdir, args: [sub, '-toolexec', `${goQuote(bin)} toolexec`, ...args.slice(1)], instrumented: true };
}
