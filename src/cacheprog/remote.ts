// The shared store: a remote cache speaking the Bazel remote-cache HTTP API (bazel-remote, and most
// remote build caches): GET/PUT/HEAD <base>/ac/<hex> and <base>/cas/<sha256 hex>.
//
//   /ac/<ActionID hex>   the action entry (entry.ts), naming the OutputID and size
//   /cas/<OutputID hex>  the body; its key is its sha256
//
// The remote is a convenience and a trust boundary, never a reason for a build to fail:
//   - every body is hashed while it streams to disk and used only when its sha256 and size match
//     the entry: a corrupt or truncated body is a miss, never an input;
//   - a remote that refuses connections, errors or stalls gives misses; after a stall (no byte for
//     the timeout) or three failures in a row this process stops asking it; problems are reported
//     through onProblem, once per kind (the caller prints one warning);
//   - at most `concurrency` requests at a time, gets before uploads and prefetches, two slots kept
//     for gets.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline } from 'node:stream';
import { logEvent } from '../log.ts';
import { formatEntry, MAX_ENTRY_BYTES, parseEntry, type ActionEntry } from './entry.ts';
import type { TempBody } from './local.ts';
import type { Counters } from './stats.ts';

export type ProblemKind = 'unreachable' | 'corrupt';

export interface RemoteOptions {
  /** Base URL: http or https, with an optional path prefix (credentials in it are sent as Basic auth). */
  url: string;
  /** The Authorization header's value, when set (it wins over credentials in the URL). */
  authorization?: string;
  /** A request that receives or sends nothing for this long fails. */
  timeoutMs: number;
  concurrency: number;
  onProblem(kind: ProblemKind, message: string): void;
  /** Called once when this process gives up on the remote. */
  onDown?(): void;
}

/** Bodies at least this large are looked for (HEAD) before they are uploaded. */
const HEAD_FIRST = 64 << 10;
/** Slots of the concurrency only go's own gets may use. */
const RESERVED_FOR_GETS = 2;
/** Failures in a row after which this process stops asking the remote. */
const MAX_FAILURES = 3;

interface Reply {
  status: number;
  /** Whether the whole body announced arrived (and no more than the caller's limit). */
  complete: boolean;
}

class RemoteFailure extends Error {
  readonly stalled: boolean;

  constructor(message: string, stalled = false) {
    super(message);
    this.stalled = stalled;
  }
}

/**
 * A counting semaphore whose urgent waiters go first, and which keeps a few slots for them: the
 * others (uploads, prefetches) never take more than `max - reserved`, so a get go waits on never
 * queues behind a prefetch's large body.
 */
class Limiter {
  private active = 0;
  private activeLater = 0;
  private readonly urgent: (() => void)[] = [];
  private readonly later: (() => void)[] = [];

  private readonly max: number;
  private readonly maxLater: number;

  constructor(max: number, reserved: number) {
    this.max = max;
    this.maxLater = Math.max(1, max - reserved);
  }

  async run<T>(urgent: boolean, fn: () => Promise<T>): Promise<T> {
    // A waiter is handed its slot by the request that frees it (release), so none is taken twice.
    if (this.mayStart(urgent)) this.take(urgent);
    else await new Promise<void>((resolve) => (urgent ? this.urgent : this.later).push(resolve));
    try {
      return await fn();
    } finally {
      this.release(urgent);
    }
  }

  private mayStart(urgent: boolean): boolean {
    return this.active < this.max && (urgent || this.activeLater < this.maxLater);
  }

  private take(urgent: boolean): void {
    this.active++;
    if (!urgent) this.activeLater++;
  }

  /** Frees a slot and hands it on, to an urgent waiter first. */
  private release(urgent: boolean): void {
    this.active--;
    if (!urgent) this.activeLater--;
    if (this.urgent.length > 0 && this.mayStart(true)) {
      this.take(true);
      this.urgent.shift()!();
    } else if (this.later.length > 0 && this.mayStart(false)) {
      this.take(false);
      this.later.shift()!();
    }
  }
}

export class RemoteCache {
  /** Set once this process has given up on the remote. */
  down = false;
  private failures = 0;
  private readonly base: URL;
  private readonly client: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string> = {};
  private readonly limiter: Limiter;
  /** Bodies this process refused (corrupt): uploaded again without asking, which repairs the remote. */
  private readonly refused = new Set<string>();

  private readonly opts: RemoteOptions;
  private readonly counters: Counters;

  constructor(opts: RemoteOptions, counters: Counters) {
    this.opts = opts;
    this.counters = counters;
    const url = new URL(opts.url);
    if (url.username !== '' || url.password !== '') {
      this.headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    if (opts.authorization) this.headers.authorization = opts.authorization;
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.base = url;
    this.client = url.protocol === 'https:' ? https : http;
    this.agent = new this.client.Agent({ keepAlive: true, maxSockets: opts.concurrency });
    this.limiter = new Limiter(opts.concurrency, RESERVED_FOR_GETS);
  }

  /** The base URL as it may be printed (credentials never are). */
  get display(): string {
    return this.base.href;
  }

  /** The entry under an ActionID; undefined when absent, unreadable or the remote failed. */
  async getEntry(actionID: string): Promise<ActionEntry | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    const reply = await this.call(true, 'GET', `ac/${actionID}`, {
      limit: MAX_ENTRY_BYTES,
      onData: (chunk) => {
        chunks.push(chunk);
        size += chunk.length;
      },
    });
    if (!reply || reply.status !== 200 || !reply.complete) return undefined;
    // Not ours (another tool's entry, a truncated one): a miss, never an error.
    return parseEntry(Buffer.concat(chunks, size).toString('latin1'));
  }

  /**
   * Downloads the body an entry names into `body` (a prefetch is not urgent: go's gets go first);
   * true only when all of it arrived and its size and sha256 are the entry's. A body that is not is
   * reported (kind `corrupt`) and is a miss.
   */
  async fetchBody(entry: ActionEntry, body: TempBody, urgent = true): Promise<boolean> {
    const reply = await this.call(urgent, 'GET', `cas/${entry.outputID}`, { limit: entry.size, onData: (chunk) => body.write(chunk) });
    body.end();
    if (!reply || reply.status === 404) return false;
    if (reply.status !== 200) return this.failed(new RemoteFailure(`GET /cas/${entry.outputID}: HTTP ${reply.status}`));
    if (body.error) throw body.error; // our disk, not the remote
    if (!reply.complete || body.size !== entry.size || body.sha256() !== entry.outputID) {
      this.counters.corrupt++;
      this.refused.add(entry.outputID);
      const what = !reply.complete || body.size !== entry.size ? `${body.size} bytes instead of ${entry.size}` : `sha256 ${body.sha256()}`;
      this.opts.onProblem('corrupt', `remote cache ${this.display}: the body of /cas/${entry.outputID} does not match its hash (${what}): refused, counted as a miss`);
      return false;
    }
    return true;
  }

  /** Uploads a body (unless the remote has it) and then its entry; false when either failed. */
  async upload(actionID: string, entry: ActionEntry, file: string): Promise<boolean> {
    const cas = `cas/${entry.outputID}`;
    let present = false;
    if (entry.size >= HEAD_FIRST && !this.refused.has(entry.outputID)) {
      const head = await this.call(false, 'HEAD', cas, {});
      if (!head) return false;
      present = head.status === 200;
    }
    if (!present) {
      const put = await this.call(false, 'PUT', cas, { file, size: entry.size });
      if (!put || !this.accepted(put, cas)) return false;
      this.counters.bytesUp += entry.size;
    }
    const data = Buffer.from(formatEntry(entry));
    const ac = await this.call(false, 'PUT', `ac/${actionID}`, { data });
    if (!ac || !this.accepted(ac, `ac/${actionID}`)) return false;
    this.counters.bytesUp += data.length;
    return true;
  }

  /** Closes idle connections (so the process can end). */
  close(): void {
    this.agent.destroy();
  }

  private accepted(reply: Reply, key: string): boolean {
    if (reply.status >= 200 && reply.status < 300) return true;
    this.failed(new RemoteFailure(`PUT /${key}: HTTP ${reply.status}`));
    return false;
  }

  private failed(err: RemoteFailure): false {
    this.failures++;
    if (!this.down && (err.stalled || this.failures >= MAX_FAILURES)) {
      this.down = true;
      this.opts.onDown?.();
    }
    this.opts.onProblem('unreachable', `remote cache ${this.display}: ${err.message}; the build goes on with the local cache (misses are built, puts stay local)`);
    return false;
  }

  /**
   * One request, within the concurrency limit; undefined when the remote failed (counted towards
   * giving up) or was given up already. HTTP statuses are for the caller, except 5xx, 401 and 403,
   * which are failures.
   */
  private async call(
    urgent: boolean,
    method: string,
    key: string,
    body: { data?: Buffer; file?: string; size?: number; limit?: number; onData?: (chunk: Buffer) => void },
  ): Promise<Reply | undefined> {
    if (this.down) return undefined;
    return this.limiter.run(urgent, async () => {
      if (this.down) return undefined;
      let reply: Reply;
      const start = Date.now();
      try {
        reply = await this.send(method, key, body);
      } catch (err) {
        logEvent('cacheprog.remote', { method, key, error: (err as Error).message, ms: Date.now() - start });
        this.failed(err instanceof RemoteFailure ? err : new RemoteFailure(`${method} /${key}: ${(err as Error).message}`));
        return undefined;
      }
      logEvent('cacheprog.remote', { method, key, status: reply.status, complete: reply.complete, ms: Date.now() - start });
      if (reply.status >= 500 || reply.status === 401 || reply.status === 403) {
        this.failed(new RemoteFailure(`${method} /${key}: HTTP ${reply.status}`));
        return undefined;
      }
      this.failures = 0;
      return reply;
    });
  }

  private send(method: string, key: string, body: { data?: Buffer; file?: string; size?: number; limit?: number; onData?: (chunk: Buffer) => void }): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers };
      if (body.data) headers['content-length'] = body.data.length;
      else if (body.file !== undefined) headers['content-length'] = body.size!;
      if (body.file !== undefined || body.data) headers['content-type'] = 'application/octet-stream';
      const req = this.client.request(new URL(key, this.base), { method, headers, agent: this.agent });
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy(new RemoteFailure(`${method} /${key}: no answer for ${this.opts.timeoutMs / 1000} s`, true));
      });
      req.on('error', (err) => settle(() => reject(err)));
      // A connection that ends without an error or a response must not leave the caller waiting.
      let answered = false;
      req.on('close', () => {
        if (!answered) settle(() => reject(new RemoteFailure(`${method} /${key}: connection closed without an answer`)));
      });
      req.on('response', (res) => {
        answered = true;
        const status = res.statusCode ?? 0;
        if (status !== 200 || !body.onData || method === 'HEAD') {
          res.resume();
          res.on('end', () => settle(() => resolve({ status, complete: true })));
          res.on('error', () => settle(() => resolve({ status, complete: false })));
          res.on('close', () => settle(() => resolve({ status, complete: res.complete })));
          return;
        }
        let received = 0;
        const announced = Number(res.headers['content-length'] ?? NaN);
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          this.counters.bytesDown += chunk.length;
          if (body.limit !== undefined && received > body.limit) {
            // More than the entry said: not the body we want; stop reading it.
            req.destroy();
            settle(() => resolve({ status, complete: false }));
            return;
          }
          body.onData!(chunk);
        });
        res.on('error', () => settle(() => resolve({ status, complete: false })));
        res.on('close', () => settle(() => resolve({ status, complete: res.complete && (Number.isNaN(announced) || announced === received) })));
      });
      if (body.file !== undefined) {
        pipeline(fs.createReadStream(body.file), req, () => {
          // Errors of the request are reported by its 'error' event.
        });
      } else {
        req.end(body.data);
      }
    });
  }
}
