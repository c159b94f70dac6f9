// Rewriting a `go` command line to run through orchestrion (what `orchestrion go …` does).

/** Subcommands that compile or link, and so get -toolexec (as in Orchestrion). */
export const TOOLEXEC_SUBCOMMANDS = new Set(['build', 'clean', 'get', 'install', 'list', 'run', 'test']);

/** Quotes a word as Go's %q would, for cmd/go's quoted-field splitting of -toolexec. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export interface GoInvocation {
  /** Directory to run in (`-C dir` as first argument is handled here, like Orchestrion does). */
  chdir?: string;
  args: string[];
  instrumented: boolean;
}

/** Inserts `-toolexec "<bin>" toolexec` right after the subcommand; other arguments are kept as they are. */
export function toolexecInvocation(argv: string[], bin: string): GoInvocation {
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
  return { chdir, args: [sub, '-toolexec', `${goQuote(bin)} toolexec`, ...args.slice(1)], instrumented: true };
}
