// `orchestrion server`: Orchestrion's command, with its flags, starting a persistent job server in
// the foreground.
//   - Without -url-file: the persistent server of the module in the current directory (the one
//     `orchestrion go` would otherwise start on first use), found by builds through the private
//     runtime directory. Exit status 2 when one is running already.
//   - With -url-file F: as Orchestrion, a server whose URL is written to F once it is ready, for
//     `ORCHESTRION_JOBSERVER_URL=$(cat F) go build -toolexec '<orchestrion> toolexec'`; it shuts down
//     when F is deleted. Exit status 2 when F names a server that answers.
// Both shut down after -inactivity-timeout without a client (Orchestrion's default, 1m).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYAML } from 'yaml';
import { parseGoDuration } from '../goduration.ts';
import { goEnv, rootFromGoMod } from '../wrapper/goenv.ts';
import { Client } from './client.ts';
import { POOL_IDLE_MS, serverKey } from './persistent-client.ts';
import { startPersistentServer } from './persistent.ts';
import { socketPathOf } from './protocol.ts';
import { dirOwnerRunning, persistentDirFor, runtimeDir } from './runtime-dir.ts';

export interface ServeArgs {
  urlFile?: string;
  inactivityMs: number;
  buildFlags?: string[];
  parentPid?: number;
  help: boolean;
}

export class UsageError extends Error {}

export const SERVE_USAGE = 'usage: orchestrion server [-url-file FILE] [-inactivity-timeout DURATION] [-build-flags YAML] [-parent-pid PID] [-port N] [-nats-logging]';

/** Parses Orchestrion's flags, Go style (`-name value`, `-name=value`, one or two dashes). */
export function parseServeArgs(argv: string[]): ServeArgs {
  const out: ServeArgs = { inactivityMs: 60_000, help: false };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/s.exec(argv[i]!);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(argv[i])}`);
    const name = m[1]!;
    if (name === 'h' || name === 'help') {
      out.help = true;
      continue;
    }
    if (name === 'nats-logging') continue; // Orchestrion's NATS server has logs of its own; nothing to enable here
    const value = (): string => {
      if (m[2] !== undefined) return m[2];
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
      return argv[++i]!;
    };
    switch (name) {
      case 'url-file':
        out.urlFile = path.resolve(value());
        break;
      case 'inactivity-timeout':
        try {
          out.inactivityMs = parseGoDuration(value(), '-inactivity-timeout');
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        break;
      case 'build-flags': {
        const v = value();
        let args: unknown;
        try {
          args = parseYAML(v);
        } catch (err) {
          throw new UsageError(`invalid -build-flags value: ${(err as Error).message}`);
        }
        if (!Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string')) {
          throw new UsageError(`invalid -build-flags value: expected a YAML array of strings starting with a go subcommand (e.g. [build, -tags, x]), got ${JSON.stringify(v)}`);
        }
        out.buildFlags = args as string[];
        break;
      }
      case 'parent-pid': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -parent-pid: parse error`);
        out.parentPid = Number(v);
        break;
      }
      case 'port': {
        const v = value();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -port: parse error`);
        break; // Unix sockets in a private directory: no port to choose
      }
      default:
        throw new UsageError(`flag provided but not defined: -${name}`);
    }
  }
  return out;
}

/** The go command line (from the subcommand on) of `pid` or its nearest `go` ancestor. */
function goArgsOfProcess(pid: number): string[] | undefined {
  for (let p = pid, hops = 0; p > 1 && hops < 16; hops++) {
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(0, -1);
    } catch {
      return undefined;
    }
    if (argv[0] && /^go(\.exe)?$/.test(path.basename(argv[0]))) return argv.slice(1);
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Runs the server until it shuts down; the exit status. `say` prints a line on stderr. */
export async function serve(a: ServeArgs, distDir: string, say: (line: string) => void): Promise<number> {
  const goArgs = a.buildFlags ?? (a.parentPid !== undefined ? goArgsOfProcess(a.parentPid) : undefined) ?? ['build'];
  const cwd = process.cwd();
  const ge = await goEnv(cwd, process.env);
  const root = rootFromGoMod(ge.GOMOD, cwd);
  const runtime = runtimeDir((m) => say(`orchestrion: warning: ${m}`));
  let dir: string;
  if (a.urlFile) {
    const running = await answeringURL(a.urlFile);
    if (running) {
      say(`A server is already listening on ${JSON.stringify(running)}`);
      return 2;
    }
    dir = persistentDirFor(createHash('sha256').update(`url-file\0${a.urlFile}`).digest('hex').slice(0, 16), runtime);
  } else {
    const tool = fs.readFileSync(path.join(distDir, 'build-id'), 'utf8').trim();
    dir = persistentDirFor(serverKey({ root, goroot: ge.GOROOT, goversion: ge.GOVERSION, tool }, process.env), runtime);
    const url = `unix:${path.join(dir, 'server.sock')}`;
    if (await answeringURL(undefined, url)) {
      say(`A server is already listening on ${JSON.stringify(url)}`);
      return 2;
    }
  }
  if (dirOwnerRunning(dir)) {
    say(`orchestrion server: another server owns ${dir} and is shutting down; try again`);
    return 1;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const running = await startPersistentServer({ dir, root, idleMs: a.inactivityMs, poolIdleMs: Math.min(POOL_IDLE_MS, a.inactivityMs), urlFile: a.urlFile, goArgs });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => void running.stop(sig));
  await running.done;
  return 0;
}

/** The URL in `urlFile` (or `url`) when a server answers there. */
async function answeringURL(urlFile: string | undefined, url?: string): Promise<string | undefined> {
  if (urlFile) {
    try {
      url = fs.readFileSync(urlFile, 'utf8').trim();
    } catch {
      return undefined;
    }
  }
  if (!url) return undefined;
  try {
    socketPathOf(url);
    const c = await Client.connect(url);
    c.close();
    return url;
  } catch {
    return undefined;
  }
}
