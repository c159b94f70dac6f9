// `orchestrion cacheprog` flags (Go flag syntax) and the environment variables they default to.
// Shared by the lean entry (main.ts) and the oclif command (help, and callers that bypass bin/).
import * as path from 'node:path';
import { userCacheDir } from '../cache/dir.ts';

export const REMOTE_ENV = 'ORCHESTRION_REMOTE_CACHE';
export const READONLY_ENV = 'ORCHESTRION_REMOTE_CACHE_READONLY';
export const AUTH_ENV = 'ORCHESTRION_REMOTE_CACHE_AUTH';
export const TIMEOUT_ENV = 'ORCHESTRION_REMOTE_CACHE_TIMEOUT';

export const USAGE = 'usage: orchestrion cacheprog [-dir DIR] [-remote URL] [-read-only]';

export interface CacheProgArgs {
  /** The local store (absolute). */
  dir: string;
  /** The remote's base URL; undefined for a local-only cache. */
  remote?: string;
  readOnly: boolean;
  /** Authorization header for the remote. */
  authorization?: string;
  timeoutMs: number;
  help: boolean;
}

export class UsageError extends Error {
  readonly exitCode = 2;
}

/** Go's strconv.ParseBool spellings. */
export const TRUE = /^(1|t|T|TRUE|true|True)$/;
export const FALSE = /^(0|f|F|FALSE|false|False)$/;

export function parseCacheProgArgs(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): CacheProgArgs {
  let dir: string | undefined;
  let remote = env[REMOTE_ENV] || undefined;
  const readOnlyEnv = env[READONLY_ENV] ?? '';
  if (readOnlyEnv !== '' && !TRUE.test(readOnlyEnv) && !FALSE.test(readOnlyEnv)) throw new UsageError(`${READONLY_ENV}=${readOnlyEnv}: not a boolean`);
  let readOnly = TRUE.test(readOnlyEnv);
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--?([A-Za-z][\w-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: cacheprog takes flags only`);
    const [, name, inline] = m as unknown as [string, string, string | undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
      return argv[++i]!;
    };
    if (name === 'h' || name === 'help') help = true;
    else if (name === 'dir') dir = value();
    else if (name === 'remote') remote = value() || undefined;
    else if (name === 'read-only') {
      if (inline === undefined || TRUE.test(inline)) readOnly = true;
      else if (FALSE.test(inline)) readOnly = false;
      else throw new UsageError(`invalid boolean value ${JSON.stringify(inline)} for -read-only: parse error`);
    } else throw new UsageError(`flag provided but not defined: -${name}`);
  }
  if (dir === '') throw new UsageError('-dir: empty directory name');
  if (remote !== undefined) {
    let url: URL;
    try {
      url = new URL(remote);
    } catch {
      throw new UsageError(`remote cache URL ${JSON.stringify(redact(remote))} is not a URL (http://host:port[/prefix] or https://…)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`remote cache URL ${JSON.stringify(redact(remote))}: only http and https are supported`);
  }
  const timeoutText = env[TIMEOUT_ENV] ?? '';
  const timeout = timeoutText === '' ? 10 : Number(timeoutText);
  if (!(timeout > 0)) throw new UsageError(`${TIMEOUT_ENV}=${timeoutText}: not a positive number of seconds`);
  return {
    dir: path.resolve(cwd, dir ?? path.join(userCacheDir(), 'cacheprog')),
    remote,
    readOnly,
    authorization: env[AUTH_ENV] || undefined,
    timeoutMs: timeout * 1000,
    help,
  };
}

/** A URL as it may be printed: without credentials. */
function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}
