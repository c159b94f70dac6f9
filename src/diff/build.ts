// `orchestrion diff` arguments (Go flag syntax: flags stop at the first argument that is not one, so
// what follows --build's flags is the go command line) and the build --build runs.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface DiffArgs {
  files: boolean;
  package: boolean;
  debug: boolean;
  build: boolean;
  noCache: boolean;
  filter: string;
  help: boolean;
  /** The work directory, or (with --build) the go command line. */
  rest: string[];
}

export class UsageError extends Error {}

const BOOLEANS = { files: 'files', package: 'package', debug: 'debug', build: 'build', 'no-cache': 'noCache' } as const;
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * Parses `-flag`, `--flag`, `-flag=value` and `-filter RE` forms. Without --build a flag may also
 * follow the work directory; with it, the first argument that is not a flag starts the go command.
 */
export function parseDiffArgs(argv: string[]): DiffArgs {
  const out: DiffArgs = { files: false, package: false, debug: false, build: false, noCache: false, filter: '', help: false, rest: [] };
  let i = 0;
  const positional: string[] = [];
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--?([a-z][a-z-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!m) {
      if (out.build) {
        positional.push(...argv.slice(i));
        break;
      }
      positional.push(arg);
      continue;
    }
    const [, name, value] = m as unknown as [string, string, string | undefined];
    if (name === 'h' || name === 'help') {
      out.help = true;
    } else if (name === 'filter') {
      if (value !== undefined) out.filter = value;
      else if (i + 1 < argv.length) out.filter = argv[++i]!;
      else throw new UsageError('flag needs an argument: -filter');
    } else if (name in BOOLEANS) {
      const key = BOOLEANS[name as keyof typeof BOOLEANS];
      if (value === undefined || TRUE.includes(value)) out[key] = true;
      else if (FALSE.includes(value)) out[key] = false;
      else throw new UsageError(`invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`);
    } else {
      throw new UsageError(`flag provided but not defined: -${name}`);
    }
  }
  out.rest = positional;
  return out;
}

/**
 * The go command line of --build: `build ./...` by default, `build` put in front of arguments that do
 * not start with build, install or test, then `-work` (and `-a` when forced) after the subcommand
 * unless given already.
 */
export function buildCommandLine(args: string[], forceRebuild: boolean): string[] {
  if (args.length === 0) args = ['build', './...'];
  else if (!['build', 'install', 'test'].includes(args[0]!)) args = ['build', ...args];
  const added: string[] = [];
  if (!args.includes('-work')) added.push('-work');
  if (forceRebuild && !args.includes('-a')) added.push('-a');
  return [args[0]!, ...added, ...args.slice(1)];
}

/** The first `WORK=<dir>` line of go's output (spaces around the line ignored); '' when there is none. */
export function workDirFromOutput(output: string): string {
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (t.startsWith('WORK=')) return t.slice(5);
  }
  return '';
}

/** Copies a stream to `out` and resolves to everything it carried. */
export function teeOutput(from: Readable, out: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    from.on('data', (chunk: Buffer) => {
      chunks.push(Buffer.from(chunk));
      out.write(chunk);
    });
    from.on('error', reject);
    from.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * Runs `<bin> go <args…>` (the instrumented build, as `orchestrion go` runs it), its standard error
 * passed on as it comes; resolves to the work directory go printed. Throws when the build fails or
 * printed none.
 */
export async function buildForWorkDir(bin: string, args: string[], stderr: Writable): Promise<string> {
  const child = spawn(bin, ['go', ...args], { stdio: ['inherit', 'inherit', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const [output, { code, signal }] = await Promise.all([teeOutput(child.stderr!, stderr), exited]);
  if (code !== 0) throw new Error(`build failed: ${signal ? `signal: ${signal}` : `exit status ${code}`}`);
  const dir = workDirFromOutput(output);
  if (dir === '') throw new Error('could not extract work directory from build output (did the build use -work?)');
  return dir;
}
