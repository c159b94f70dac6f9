// The client side of GOCACHEPROG, as cmd/go speaks it: `orchestrion go` uses the build's own cache
// program (ours, or any other the user set) to share what it computes before the build starts (the
// `-V=full` suffix, src/cache/suffix-share.ts) with other machines. Best effort throughout: any
// failure is a miss, never an error of the build, and the program is given a short time.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { clientRequestLine, parseClientResponse, type ClientResponse } from './protocol.ts';

/** Splits a command line as cmd/go splits GOCACHEPROG (cmd/internal/quoted): spaces, and '…' or "…" fields. */
export function splitQuoted(s: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i]!)) {
      i++;
      continue;
    }
    const q = s[i];
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1);
      if (end < 0) return undefined; // unterminated: go refuses it too
      out.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]!)) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

export interface CacheClient {
  get(actionID: string): Promise<Buffer | undefined>;
  put(actionID: string, body: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** A client of the GOCACHEPROG command line `cmdline`, or undefined when it cannot be started. */
export function startCacheClient(cmdline: string, env: NodeJS.ProcessEnv, timeoutMs = 5000): CacheClient | undefined {
  const argv = splitQuoted(cmdline);
  if (!argv || argv.length === 0) return undefined;
  let child: ChildProcess;
  try {
    child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'], env });
  } catch {
    return undefined;
  }
  let failed = false;
  const pending = new Map<number, (r: ClientResponse | undefined) => void>();
  let known: Set<string> | undefined;
  let handshake!: (ok: boolean) => void;
  const ready = new Promise<boolean>((resolve) => (handshake = resolve));
  const fail = () => {
    failed = true;
    handshake(false);
    for (const resolve of pending.values()) resolve(undefined);
    pending.clear();
  };
  child.on('error', fail);
  child.on('exit', fail);
  child.stdin!.on('error', fail);
  let buf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const r = parseClientResponse(line);
      if (!r) return fail();
      if (r.id === 0) {
        known = new Set(r.knownCommands ?? []);
        handshake(true);
        continue;
      }
      pending.get(r.id)?.(r);
      pending.delete(r.id);
    }
  });
  let nextID = 1;
  let closed = false;
  const call = async (command: string, fields: { actionID?: string; body?: Buffer }): Promise<ClientResponse | undefined> => {
    if (!(await withTimeout(ready, timeoutMs)) || failed || !known?.has(command)) return undefined;
    const id = nextID++;
    const answer = new Promise<ClientResponse | undefined>((resolve) => pending.set(id, resolve));
    child.stdin!.write(clientRequestLine({ id, command, ...fields }));
    return withTimeout(answer, timeoutMs);
  };
  return {
    async get(actionID) {
      const r = await call('get', { actionID });
      if (!r || r.err !== undefined || r.miss || !r.diskPath) return undefined;
      try {
        return fs.readFileSync(r.diskPath);
      } catch {
        return undefined;
      }
    },
    async put(actionID, body) {
      await call('put', { actionID, body });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!failed) await call('close', {});
      child.stdin!.end();
      if (!failed && child.exitCode === null) {
        const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
        if (!(await withTimeout(exited, timeoutMs))) child.kill();
      }
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms).unref()))]).finally(() => clearTimeout(timer));
}
