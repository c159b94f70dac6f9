import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, loadHelpClass } from '@oclif/core';

/** Build flags whose value may be the next word (`-tags x`); other build flags are booleans. */
const VALUED = new Set([
  'C', 'asmflags', 'buildmode', 'compiler', 'covermode', 'coverpkg', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod',
  'modfile', 'overlay', 'p', 'pgo', 'pkgdir', 'tags', 'toolexec',
]);
const TRUE = /^(1|t|T|TRUE|true|True)$/;
const FALSE = /^(0|f|F|FALSE|false|False)$/;

export interface InstrumentArgs {
  outDir?: string;
  deps: boolean;
  explain: boolean;
  json: boolean;
  help: boolean;
  chdir?: string;
  buildFlags: string[];
  patterns: string[];
}

/**
 * Go-style arguments: this command's flags (`-o DIR`, `-deps`, `-explain`, `-json`, each with one or
 * two dashes, booleans also as `-deps=false`), the build flags (passed to go), then the patterns.
 */
export function parseInstrumentArgs(argv: string[]): InstrumentArgs {
  const out: InstrumentArgs = { deps: false, explain: false, json: false, help: false, buildFlags: [], patterns: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.patterns.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(a);
    if (!m) {
      out.patterns.push(a);
      continue;
    }
    const [, name, inline] = m as unknown as [string, string, string | undefined];
    const bool = (flag: string): boolean => {
      if (inline === undefined || TRUE.test(inline)) return true;
      if (FALSE.test(inline)) return false;
      throw new Error(`invalid boolean value ${JSON.stringify(inline)} for -${flag}`);
    };
    const value = (flag: string): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`flag needs an argument: -${flag}`);
      return argv[++i]!;
    };
    if (name === 'o') out.outDir = value('o');
    else if (name === 'deps' || name === 'explain' || name === 'json') out[name] = bool(name);
    else if (name === 'h' || name === 'help') out.help = true;
    else if (name === 'C') out.chdir = value('C');
    else if (name === 'toolexec') throw new Error('-toolexec: orchestrion instrument weaves with its own -toolexec');
    else if (VALUED.has(name)) out.buildFlags.push(`-${name}=${value(name)}`);
    else out.buildFlags.push(a);
  }
  if (out.patterns.length === 0) out.patterns.push('.');
  return out;
}

export default class Instrument extends Command {
  static override description = `Shows what a build would weave into Go packages, without building them

For each file the configuration modifies, prints a unified diff between the file and the woven file a build hands the compiler (the same bytes, //line directives included). The configuration is loaded as "orchestrion go" loads it (orchestrion.tool.go, orchestrion.yml, extends); each package is type-checked against the export data a build gives it, its dependencies woven as a build weaves them (they are compiled, or taken from Go's build cache; the named packages are not built).

Packages are go list patterns (default "."). Build flags that decide which files are compiled or how they type-check (-tags, -mod, -modfile, -trimpath, -gcflags, …, GOFLAGS, GOOS and GOARCH in the environment, -C dir) are honoured.

Flags:
  -o DIR     also write each woven file to DIR/<import path>/<file name> (the exact bytes; a main package under its full import path). Unmodified files are not written.
  -deps      also the dependencies of the named packages, standard library included, and the packages the advice injects (with their own dependencies), which a build compiles woven too.
  -explain   for each package and each aspect of the configuration, the verdict and why: matches first (file:line:col of each join point, the advice applied), then the aspects rejected by special cases of the import path, the package filter, the file filter, syntax or types, with the reason.
  -json      one JSON document instead (packages, files with their diffs, verdicts): see docs/INSTRUMENT.md.

The exit status is 0 when it ran, whether anything matched or not; 1 when the configuration is wrong (file:line:col: message) or a package does not load or compile (named, with go's message).

Where "orchestrion diff" reads what a finished build wrote in its -work directory, instrument needs no build, and says why an aspect did not apply.`;
  static override strict = false;
  static override usage = 'instrument [-o DIR] [-deps] [-explain] [-json] [build flags] [packages]';
  static override examples = [
    '<%= config.bin %> instrument',
    '<%= config.bin %> instrument -explain ./cmd/server',
    '<%= config.bin %> instrument -tags integration -o /tmp/woven ./...',
    '<%= config.bin %> instrument -deps -json . > woven.json',
    'GOOS=windows <%= config.bin %> instrument -deps net/http',
  ];

  async run(): Promise<void> {
    let args: InstrumentArgs;
    try {
      args = parseInstrumentArgs(this.argv);
    } catch (err) {
      this.logToStderr(`orchestrion instrument: ${(err as Error).message}`);
      this.exit(2);
    }
    if (args.help) {
      const HelpClass = await loadHelpClass(this.config);
      await new HelpClass(this.config).showHelp(['instrument']);
      return;
    }
    const { instrumentPackages } = await import('../instrument/instrument.ts');
    const { renderText, toJSON } = await import('../instrument/render.ts');
    const cwd = args.chdir ? path.resolve(args.chdir) : process.cwd();
    if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
      this.logToStderr(`orchestrion instrument: -C ${args.chdir}: no such directory`);
      this.exit(1);
    }
    const tty = process.stderr.isTTY === true;
    let shown = false;
    let report;
    try {
      report = await instrumentPackages({
        patterns: args.patterns,
        buildFlags: args.buildFlags,
        deps: args.deps,
        explain: args.explain,
        // As go's -o: relative to the -C directory.
        outDir: args.outDir ? path.resolve(cwd, args.outDir) : undefined,
        cwd,
        env: process.env,
        progress: tty
          ? (done, total, importPath) => {
              if (total < 2) return;
              shown = true;
              process.stderr.write(`\r\x1b[Kinstrument: ${done}/${total} ${importPath}`);
            }
          : undefined,
      });
    } catch (err) {
      if (shown) process.stderr.write('\r\x1b[K');
      // A configuration error is file:line:col: message; a package error names the package.
      this.logToStderr((err as Error).message);
      this.exit(1);
    }
    if (shown) process.stderr.write('\r\x1b[K');
    process.stdout.write(args.json ? `${JSON.stringify(toJSON(report), null, 2)}\n` : renderText(report, args.explain));
  }
}
