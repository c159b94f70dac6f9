// What the cacheprog processes of one `orchestrion go` build did, summed for one line on stderr.
// The wrapper names a directory in ORCHESTRION_CACHEPROG_STATS (inherited by go, by the job
// server's child builds, and so by every cacheprog they start); each cacheprog process writes its
// counters there as one file when it closes; the wrapper sums them after go exits. Kept free of
// heavy imports: the wrapper loads it on every build.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { wantsVerbose } from '../goflags.ts';

export const STATS_ENV = 'ORCHESTRION_CACHEPROG_STATS';

export interface Counters {
  /** cacheprog processes counted (1 per process; summed). */
  processes: number;
  /** Processes that had a remote, and those of them that were read-only. */
  remote: number;
  readOnly: number;
  gets: number;
  localHits: number;
  remoteHits: number;
  /** Gets the remote did not answer with a verified body: absent, unreachable, corrupt. */
  remoteMisses: number;
  puts: number;
  /** Puts whose body and entry reached the remote. */
  uploads: number;
  /** Puts kept only locally because the remote could not take them. */
  uploadFailures: number;
  bytesDown: number;
  bytesUp: number;
  /** Bodies from the remote that did not match their sha256 or size (each also a miss). */
  corrupt: number;
  /** Entries a prefetch index brought into the local store (prefetch.ts). */
  prefetched: number;
}

export function emptyCounters(): Counters {
  return { processes: 0, remote: 0, readOnly: 0, gets: 0, localHits: 0, remoteHits: 0, remoteMisses: 0, puts: 0, uploads: 0, uploadFailures: 0, bytesDown: 0, bytesUp: 0, corrupt: 0, prefetched: 0 };
}

/**
 * Writes one process's counters into the stats directory (whole, or not at all). The directory is
 * not created: once the build's wrapper has summed and removed it, a late process (a child build's,
 * still uploading) writes nothing.
 */
export function writeCounters(dir: string, c: Counters): void {
  try {
    const tmp = path.join(dir, `.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(c));
    fs.renameSync(tmp, path.join(dir, `${process.pid}-${Date.now()}.json`));
  } catch {
    // statistics never fail a build
  }
}

/**
 * Claims the right to print a warning of this kind for the whole build (the first process to ask
 * wins); without a stats directory, every process prints its own.
 */
export function claimWarning(dir: string | undefined, kind: string): boolean {
  if (!dir) return true;
  try {
    fs.closeSync(fs.openSync(path.join(dir, `warned-${kind}`), 'wx'));
    return true;
  } catch (err) {
    // Claimed by another process already; or the directory is gone: print it anyway.
    return (err as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}

/**
 * Whether a process of this build has given up on the remote already (a stall, repeated failures):
 * the processes started after it do not wait for it again. Without a stats directory, no.
 */
export function remoteGivenUp(dir: string | undefined): boolean {
  return dir !== undefined && fs.existsSync(path.join(dir, 'remote-down'));
}

/** Tells the other processes of the build that the remote is down. */
export function markRemoteGivenUp(dir: string | undefined): void {
  if (dir === undefined) return;
  try {
    fs.writeFileSync(path.join(dir, 'remote-down'), '');
  } catch {
    // the directory is gone: the build is over
  }
}

/** The sum of the counters in a stats directory, which is then removed; undefined when none. */
export function collectCounters(dir: string): Counters | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const sum = emptyCounters();
  let any = false;
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const c = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Partial<Counters>;
      for (const k of Object.keys(sum) as (keyof Counters)[]) if (typeof c[k] === 'number') sum[k] += c[k];
      any = true;
    } catch {
      // a file being written: skipped
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return any ? sum : undefined;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  return n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

/** One line: local and remote hits and misses, uploads, bytes moved. */
export function formatCounters(c: Counters): string {
  const parts = [`local ${c.localHits} hits, ${c.gets - c.localHits} misses, ${c.puts} puts`];
  if (c.remote === 0) {
    parts.push('no remote');
  } else {
    let remote = `remote${c.readOnly === c.remote ? ' (read-only)' : ''} ${c.remoteHits} hits, ${c.remoteMisses} misses`;
    if (c.corrupt > 0) remote += ` (${c.corrupt} corrupt bodies refused)`;
    if (c.prefetched > 0) remote += `, ${c.prefetched} prefetched`;
    if (c.readOnly < c.remote) remote += `, ${c.uploads} uploaded${c.uploadFailures > 0 ? `, ${c.uploadFailures} not uploaded (kept locally)` : ''}`;
    parts.push(remote);
    parts.push(`${bytes(c.bytesDown)} down, ${bytes(c.bytesUp)} up`);
  }
  return `orchestrion: cache: ${parts.join('; ')} (${c.processes} cacheprog process${c.processes === 1 ? '' : 'es'})`;
}

/** Whether `orchestrion go` prints the line: with -v among go's flags (or GOFLAGS), or under CI. */
export function wantsCacheStats(args: string[], env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return true;
  return wantsVerbose(args, env.GOFLAGS);
}

/** After a build: prints the summed counters when asked for (see wantsCacheStats); always removes the directory. */
export function reportCacheStats(dir: string, args: string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): void {
  const c = collectCounters(dir);
  if (c && wantsCacheStats(args, env)) out.write(formatCounters(c) + '\n');
}
