// Answers go's requests from the local store, falling back to the remote; stores every put locally
// and uploads it in the background. The rules that keep a build going whatever the remote does:
//   - a get never fails: anything that goes wrong is a miss;
//   - a put answers with its DiskPath as soon as the body is on the local disk; the upload follows,
//     and its failure is only counted (go aborts the build on a put's Err, so one is answered only
//     when the local disk itself failed);
//   - close waits for the uploads, then answers.
import { logEvent } from '../log.ts';
import { type ActionEntry } from './entry.ts';
import type { LocalStore, TempBody } from './local.ts';
import type { IndexEntry, Recorder } from './prefetch.ts';
import type { Request, Response } from './protocol.ts';
import type { RemoteCache } from './remote.ts';
import type { Counters } from './stats.ts';

/** How long close (or the end of input) waits for uploads that make no progress. */
const DRAIN_STALL_MS = 30_000;
/** Prefetches in flight at once: the remote's slots but those it keeps for go's own gets. */
const PREFETCH_LANES = 6;

export interface CacheProgOptions {
  local: LocalStore;
  remote?: RemoteCache;
  /** Never upload (the remote is still read). */
  readOnly: boolean;
  counters: Counters;
  /** Called for each answer, as soon as it is ready. */
  respond(res: Response): void;
  /** Once every answer and upload is done: answers close (and ends the process). */
  close(id: number): void;
  /** Reports a problem of our own (the local disk) on stderr. */
  warn(message: string): void;
  /** Records the actions go found or stored (the next prefetch index: prefetch.ts). */
  recorder?: Recorder;
}

export class CacheProg {
  private readonly pending = new Set<Promise<void>>();
  private readonly uploads = new Set<Promise<void>>();
  /** Actions being fetched from the remote (by a get or a prefetch): one fetch per action. */
  private readonly fetching = new Map<string, Promise<ActionEntry | undefined>>();
  private prefetchStopped = false;
  private prefetchDone: Promise<void> = Promise.resolve();

  private readonly opts: CacheProgOptions;

  constructor(opts: CacheProgOptions) {
    this.opts = opts;
  }

  /** Starts answering a request. A put's body, when it has one, is complete in `body`. */
  handle(req: Request, body: TempBody | undefined): void {
    let answer: Promise<Response>;
    switch (req.command) {
      case 'get':
        answer = this.get(req);
        break;
      case 'put':
        answer = this.put(req, body);
        break;
      case 'close':
        // Not one of the pending answers: it waits for them.
        void this.drain().then(() => this.opts.close(req.id));
        return;
      default:
        answer = Promise.resolve({ id: req.id, err: `unknown command ${JSON.stringify(req.command)}` });
    }
    const done = answer.then((res) => this.opts.respond(res));
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  /**
   * Waits for every answer being prepared and every upload (before close's answer, or at end of
   * input), but not for ever: go waits for close's answer, and a build must never hang on the
   * remote. When none of them has finished for `stallMs`, those still running are counted as
   * failed and abandoned.
   */
  async drain(stallMs = DRAIN_STALL_MS): Promise<void> {
    // What go did not ask for by now, it will not: the lanes finish the fetch each has started.
    this.prefetchStopped = true;
    await this.prefetchDone;
    let deadline = Date.now() + stallMs;
    let left = this.uploads.size + this.pending.size;
    while (this.uploads.size > 0 || this.pending.size > 0) {
      const wait = deadline - Date.now();
      if (wait <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)));
      const one = (ps: Promise<void>[]) => Promise.race(ps.map((p) => p.then(() => {}, () => {})));
      // A failed answer was already reported to go; it must not keep close from being answered.
      await Promise.race([one([...this.uploads, ...this.pending]), timeout]);
      clearTimeout(timer);
      const now = this.uploads.size + this.pending.size;
      if (now < left) deadline = Date.now() + stallMs; // progress
      left = now;
    }
    if (this.uploads.size > 0) {
      this.opts.counters.uploadFailures += this.uploads.size;
      logEvent('cacheprog.drain', { abandonedUploads: this.uploads.size });
      this.uploads.clear();
    }
    this.opts.remote?.close();
  }

  private async get(req: Request): Promise<Response> {
    const { local, remote, counters } = this.opts;
    const actionID = req.actionID;
    if (!actionID) return { id: req.id, err: 'get without an ActionID' };
    counters.gets++;
    try {
      const entry = local.get(actionID);
      if (entry) {
        counters.localHits++;
        this.opts.recorder?.add(actionID, entry.outputID, entry.size, entry.time);
        return hit(req.id, entry, local.objectPath(entry.outputID));
      }
      if (remote) {
        const fromRemote = () => this.fetchOnce(actionID, () => this.fromRemote(remote, actionID));
        // A fetch of this action already running (a prefetch's) gives the answer, unless it found
        // nothing (a stale index entry): then the remote's own /ac/ entry is asked, as without an index.
        const prefetched = this.fetching.has(actionID);
        let found = await fromRemote();
        if (!found && prefetched && !remote.down) found = await fromRemote();
        if (found) {
          counters.remoteHits++;
          this.opts.recorder?.add(actionID, found.outputID, found.size, found.time);
          return hit(req.id, found, local.objectPath(found.outputID));
        }
        counters.remoteMisses++;
      }
    } catch (err) {
      // The local disk failed: a miss, and go builds it.
      this.opts.warn(`get ${actionID}: ${(err as Error).message}`);
    }
    return { id: req.id, miss: true };
  }

  /**
   * Fetches the entries of a prefetch index (prefetch.ts) into the local store, in order, a few at a
   * time, behind go's own gets; those go asks for meanwhile wait for their fetch rather than start
   * another. Entries already here are skipped. Resolves when all are done or the remote is down.
   */
  prefetch(entries: IndexEntry[]): Promise<void> {
    this.prefetchDone = this.runPrefetch(entries);
    return this.prefetchDone;
  }

  private async runPrefetch(entries: IndexEntry[]): Promise<void> {
    const { local, remote, counters } = this.opts;
    if (!remote || entries.length === 0) return;
    let next = 0;
    const lane = async () => {
      while (next < entries.length && !remote.down && !this.prefetchStopped) {
        const e = entries[next++]!;
        if (this.fetching.has(e.actionID)) continue;
        try {
          if (local.get(e.actionID)) continue;
        } catch {
          continue;
        }
        const entry: ActionEntry = { outputID: e.outputID, size: e.size, time: new Date(e.time) };
        const got = await this.fetchOnce(e.actionID, () => this.store(remote, e.actionID, entry, false));
        if (got) counters.prefetched++;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: Math.min(PREFETCH_LANES, entries.length) }, lane));
    logEvent('cacheprog.prefetch', { entries: entries.length, fetched: counters.prefetched, ms: Date.now() - started });
  }

  /** Runs `fetch` for an action unless one runs already, which is then awaited instead. */
  private fetchOnce(actionID: string, fetch: () => Promise<ActionEntry | undefined>): Promise<ActionEntry | undefined> {
    const running = this.fetching.get(actionID);
    if (running) return running;
    const p = fetch().catch((err: Error) => {
      this.opts.warn(`fetching ${actionID}: ${err.message}`);
      return undefined;
    });
    this.fetching.set(actionID, p);
    void p.finally(() => this.fetching.delete(actionID));
    return p;
  }

  /** A verified entry and body from the remote, stored locally; undefined on any kind of miss. */
  private async fromRemote(remote: RemoteCache, actionID: string): Promise<ActionEntry | undefined> {
    const entry = await remote.getEntry(actionID);
    if (!entry) return undefined;
    return this.store(remote, actionID, entry, true);
  }

  /** Brings the body an entry names (unless it is here) and records the entry locally. */
  private async store(remote: RemoteCache, actionID: string, entry: ActionEntry, urgent: boolean): Promise<ActionEntry | undefined> {
    const { local } = this.opts;
    // Another action may have brought the same body already.
    if (!local.hasObject(entry.outputID, entry.size)) {
      const body = local.tempBody();
      let ok = false;
      try {
        ok = await remote.fetchBody(entry, body, urgent);
        if (ok) local.commitObject(body);
      } finally {
        if (!ok) body.discard();
      }
      if (!ok) return undefined;
    }
    local.putEntry(actionID, entry);
    return entry;
  }

  private async put(req: Request, body: TempBody | undefined): Promise<Response> {
    const { local, remote, counters } = this.opts;
    if (!req.actionID || !req.outputID) return { id: req.id, err: 'put without an ActionID and an OutputID' };
    counters.puts++;
    if (!body) {
      // An empty body has no body line.
      body = local.tempBody();
      body.end();
    }
    if (body.error) {
      body.discard();
      return { id: req.id, err: `storing the body of ${req.actionID}: ${body.error.message}` };
    }
    if (body.size !== req.bodySize || body.sha256() !== req.outputID) {
      body.discard();
      return { id: req.id, err: `the body of ${req.actionID} is not what go announced (${body.size} bytes, sha256 ${body.sha256()})` };
    }
    const entry: ActionEntry = { outputID: req.outputID, size: body.size, time: new Date() };
    let diskPath: string;
    try {
      diskPath = local.commitObject(body);
      local.putEntry(req.actionID, entry);
      this.opts.recorder?.add(req.actionID, entry.outputID, entry.size, entry.time);
    } catch (err) {
      body.discard();
      return { id: req.id, err: `storing ${req.actionID}: ${(err as Error).message}` };
    }
    if (remote && !this.opts.readOnly) {
      const actionID = req.actionID;
      const upload = remote.upload(actionID, entry, diskPath).then(
        (ok) => {
          if (ok) counters.uploads++;
          else counters.uploadFailures++;
          logEvent('cacheprog.upload', { actionID, outputID: entry.outputID, ok });
        },
        (err: Error) => {
          counters.uploadFailures++;
          logEvent('cacheprog.upload', { actionID, outputID: entry.outputID, error: err.message });
        },
      );
      this.uploads.add(upload);
      void upload.finally(() => this.uploads.delete(upload));
    }
    return { id: req.id, diskPath };
  }
}

function hit(id: number, entry: ActionEntry, diskPath: string): Response {
  return { id, outputID: entry.outputID, size: entry.size, time: entry.time, diskPath };
}
