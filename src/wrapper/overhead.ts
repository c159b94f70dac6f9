// The overhead report of `orchestrion go`: what instrumentation did in a build and what it cost,
// for those who ask (`-v`: one line on stderr; ORCHESTRION_STATS=<file>: a JSON document for CI
// dashboards, fields documented in docs/PERFORMANCE.md). A plain build stays quiet.
import * as fs from 'node:fs';
import { wantsVerbose } from '../goflags.ts';
import type { StatsResult } from '../jobserver/protocol.ts';

export const STATS_FILE_ENV = 'ORCHESTRION_STATS';

export interface OverheadReport {
  format: 1;
  /** How the `-V=full` suffix was found: `cache` (this machine), `shared` (GOCACHEPROG), `computed`. */
  suffix: 'cache' | 'shared' | 'computed';
  /** Wall time from the start of `orchestrion go` until go starts (configuration, suffix). */
  setupMs: number;
  /** Wall time of the go command. */
  goMs: number;
  /**
   * Compiles orchestrion saw (go's own cache hits never reach it), and compiles that copied another's
   * outputs; `ungated`: those bin/orchestrion ran directly, no aspect being able to match them (the
   * compile gate, src/jobserver/compile-gate.ts), counted in `untouched` too.
   */
  compiles: number;
  reused: number;
  ungated: number;
  /** Packages woven by the wasm injector, answered from the instrumentation cache, and kept from it by the pre-filters. */
  woven: number;
  fromInstrumentationCache: number;
  untouched: number;
  /** Summed time answering compiles' instrument requests (they run in parallel, so this exceeds their share of the wall time). */
  instrumentMs: number;
  /** Child builds resolving injected packages, and their summed time. */
  childBuilds: number;
  childBuildMs: number;
  configMs: number;
  /** Peak resident memory of the `orchestrion go` process: the job server and its wasm workers are its threads. */
  peakRSSKiB: number;
}

export function overheadReport(s: StatsResult | undefined, r: Pick<OverheadReport, 'suffix' | 'setupMs' | 'goMs' | 'peakRSSKiB' | 'ungated'>): OverheadReport {
  return {
    format: 1,
    ...r,
    compiles: (s?.compiles ?? 0) + r.ungated,
    reused: s?.reused ?? 0,
    woven: s?.instrumented ?? 0,
    fromInstrumentationCache: s?.cached ?? 0,
    untouched: (s?.skipped ?? 0) + r.ungated,
    instrumentMs: Math.round(s?.instrumentMs ?? 0),
    childBuilds: s?.childBuilds ?? 0,
    childBuildMs: Math.round(s?.childBuildMs ?? 0),
    configMs: Math.round(s?.configMs ?? 0),
    setupMs: Math.round(r.setupMs),
    goMs: Math.round(r.goMs),
  };
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatOverhead(o: OverheadReport): string {
  return (
    `orchestrion: ${o.compiles} compiles (${o.woven} woven, ${o.fromInstrumentationCache} from the instrumentation cache, ${o.untouched} untouched` +
    `${o.ungated > 0 ? ` (${o.ungated} without the job server)` : ''}` +
    `${o.reused > 0 ? `, ${o.reused} reused` : ''}); set-up ${sec(o.setupMs)} (suffix: ${o.suffix}), go ${sec(o.goMs)}, ` +
    `weaving ${sec(o.instrumentMs)} summed, ${o.childBuilds} child builds ${sec(o.childBuildMs)} summed; peak memory ${(o.peakRSSKiB / 1024).toFixed(0)} MiB`
  );
}

/** Writes the report where ORCHESTRION_STATS says, and the line with -v. Never fails the build. */
export function emitOverhead(o: OverheadReport, args: string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): void {
  if (wantsVerbose(args, env.GOFLAGS)) out.write(formatOverhead(o) + '\n');
  const file = env[STATS_FILE_ENV];
  if (!file) return;
  try {
    fs.writeFileSync(file, JSON.stringify(o, null, 2) + '\n');
  } catch (err) {
    out.write(`orchestrion: warning: ${STATS_FILE_ENV}=${file}: ${(err as Error).message}\n`);
  }
}
