// What the builds of one module share when a persistent job server (`orchestrion server`) serves
// them: the wasm worker pools, the loaded configurations, and the resolutions of injected packages.
// A per-build server has one of these to itself. Nothing here is served without checking that it
// still holds: a configuration only for the suffix the build was started with and while its files
// are unchanged, a resolution only for the same suffix, module, flags and environment and while
// every archive it names exists.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { logEvent } from '../log.ts';
import { InjectorPool } from '../pool/pool.ts';
import { ensureWasm, type Toolchain } from '../wasm/module.ts';

/** A child build's answer: each package's export data, and each one's dependencies (go list's Deps). */
export interface Resolution {
  archives: Record<string, string>;
  deps: Map<string, string[]>;
}

/**
 * `pkgs` answered from `resolutions` (of one build context: the same archive for a package in each):
 * each package and its Deps, as a child build of exactly `pkgs` would list them (`pseudo` packages,
 * `unsafe` and `C`, have no archive), or with `superset` everything they hold, for a link, which
 * reads only what main reaches. Undefined when they do not hold every package with its Deps.
 */
export function answerFrom(resolutions: Iterable<Resolution>, pkgs: string[], pseudo: ReadonlySet<string>, superset = false): Resolution | undefined {
  const archives = new Map<string, string>();
  const deps = new Map<string, string[]>();
  for (const res of resolutions) {
    for (const [pkg, a] of Object.entries(res.archives)) archives.set(pkg, a);
    for (const [pkg, d] of res.deps) deps.set(pkg, d);
  }
  if (!pkgs.every((x) => archives.has(x) && deps.has(x))) return undefined;
  // Exactly the packages and their dependencies, also for a link (`superset`), whose importcfg then
  // does not depend on which resolutions happen to be settled (the link cache keys on it).
  const out: Resolution = { archives: {}, deps: new Map() };
  for (const x of pkgs) {
    for (const y of [x, ...deps.get(x)!]) {
      const a = archives.get(y);
      if (a !== undefined) out.archives[y] = a;
      else if (!pseudo.has(y) && !superset) return undefined;
      const dy = deps.get(y);
      if (dy) out.deps.set(y, dy);
    }
  }
  return out;
}

/** Configurations kept at once (one per environment and flag set the module is built with). */
const MAX_CONFIGS = 4;

/** Resolutions kept across builds: at most this many bytes of their JSON, least recently used first out. */
const RESOLUTION_BYTES = 16 << 20;

export class SharedState<Config extends { suffix: string }> {
  private readonly pools = new Map<string, Promise<InjectorPool>>();
  private readonly configs = new Map<string, Promise<Config>>();
  /** LRU: a Map iterates in insertion order, and a hit is re-inserted. */
  private readonly resolutions = new Map<string, { res: Resolution; bytes: number }>();
  private resolutionBytes = 0;
  /** Time the pools last served a task; the persistent server frees idle ones. */
  poolsUsed = Date.now();

  pool(tc: Toolchain): Promise<InjectorPool> {
    this.poolsUsed = Date.now();
    let p = this.pools.get(tc.goroot);
    if (!p) {
      p = ensureWasm(tc, (m) => logEvent('wasm', { message: m })).then((files) => new InjectorPool(files));
      p.catch(() => this.pools.delete(tc.goroot));
      this.pools.set(tc.goroot, p);
    }
    return p;
  }

  get poolCount(): number {
    return this.pools.size;
  }

  /** Ends every pool's workers (their wasm memory with them); the next task starts a pool again. */
  async closePools(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map(async (p) => (await p).close()));
  }

  /** The configuration loaded under `key` (module root, environment, build flags), if any. */
  config(key: string): Promise<Config> | undefined {
    return this.configs.get(key);
  }

  setConfig(key: string, state: Promise<Config>): void {
    this.configs.delete(key);
    this.configs.set(key, state);
    // A few environments and flag sets at a time; the oldest loaded goes first.
    for (const k of this.configs.keys()) if (this.configs.size > MAX_CONFIGS) this.configs.delete(k);
    state.catch(() => {
      if (this.configs.get(key) === state) this.configs.delete(key);
    });
  }

  /**
   * A resolution of `pkgs` from those kept under `context` (suffix, module, flags, environment):
   * the one made for exactly these packages, else one put together from several (each package and
   * its Deps found in one of them, as the same child build would list them), provided every
   * archive it names still exists (GOCACHE may have been trimmed or cleaned).
   */
  resolution(context: string, pkgs: string[], pseudo: ReadonlySet<string>): Resolution | undefined {
    const key = resolutionKey(context, pkgs);
    const exact = this.resolutions.get(key);
    if (exact) {
      this.resolutions.delete(key);
      if (!allExist(exact.res)) {
        this.resolutionBytes -= exact.bytes;
        return undefined;
      }
      this.resolutions.set(key, exact); // most recently used
      return exact.res;
    }
    const same = [...this.resolutions].filter(([k]) => k.startsWith(context + '\0')).map(([, e]) => e.res);
    const out = answerFrom(same, pkgs, pseudo);
    return out && allExist(out) ? out : undefined;
  }

  keepResolution(context: string, pkgs: string[], res: Resolution): void {
    const key = resolutionKey(context, pkgs);
    const bytes = JSON.stringify(res.archives).length + JSON.stringify([...res.deps]).length;
    if (bytes > RESOLUTION_BYTES) return;
    const old = this.resolutions.get(key);
    if (old) {
      this.resolutions.delete(key);
      this.resolutionBytes -= old.bytes;
    }
    this.resolutions.set(key, { res, bytes });
    this.resolutionBytes += bytes;
    for (const [k, e] of this.resolutions) {
      if (this.resolutionBytes <= RESOLUTION_BYTES) break;
      this.resolutions.delete(k);
      this.resolutionBytes -= e.bytes;
    }
  }
}

const resolutionKey = (context: string, pkgs: string[]): string => `${context}\0${pkgs.join('\0')}`;

function allExist(res: Resolution): boolean {
  return Object.values(res.archives).every((a) => fs.existsSync(a));
}
