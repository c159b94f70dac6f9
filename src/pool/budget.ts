// The memory budget of a job server (ORCHESTRION_MAX_MEMORY): how many wasm workers it runs, how
// large an instance's linear memory may grow before the instance is replaced, and how eagerly the Go
// runtime inside it collects. A Go wasm heap never shrinks (linear memory only grows), so the
// budget bounds the number of instances and their size, not the size of the build.
import * as os from 'node:os';

export const MAX_MEMORY_ENV = 'ORCHESTRION_MAX_MEMORY';
export const WORKERS_ENV = 'ORCHESTRION_WORKERS';
/** Overrides the recycle size, in MiB (debugging the wasm runtime: docs/wasm-bugs/). */
export const RECYCLE_ENV = 'ORCHESTRION_WASM_RECYCLE_MIB';

const MiB = 2 ** 20;

/** Default budget for the job server's process (its threads and wasm instances). */
export const DEFAULT_MAX_MEMORY = 400 * MiB;

// Measured on Node 24 (docs/PERFORMANCE.md): the process before any worker starts (main thread, the
// server's thread, the loaded configuration, the compiled wasm module), what each worker thread adds
// besides its instance's memory, and the linear memory the largest package woven so far needs
// (the runtime: about 120 MiB before partial weaving, ~60 MiB since; kept as the minimum, which
// leaves room for larger packages).
const BASE = 170 * MiB;
const PER_THREAD = 24 * MiB;
const MIN_INSTANCE = 128 * MiB;
/** Below this an instance would be replaced after most large packages, each start costing ~0.2 s. */
const MIN_RECYCLE = 64 * MiB;
/**
 * The instances collect at 100% heap growth (Go's default). 50 took ~20% less peak memory for ~15%
 * more GC time while the runtime's weave grew an instance to ~120 MiB; since the runtime's proc.go is
 * woven partially (~60 MiB), 100 keeps a build's peak (PSS of all the tool's processes) at 319–344
 * MiB on apps C and D (docs/PERFORMANCE.md, twelfth session).
 */
const WASM_GOGC = 100;

export interface MemoryPlan {
  /** The budget the plan follows, in bytes. */
  budget: number;
  workers: number;
  /** An instance whose linear memory passed this size is replaced after its task. */
  recycleBytes: number;
  /** GOGC inside each instance. */
  gogc: number;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: MiB, mb: 1e6, mib: MiB, g: 2 ** 30, gb: 1e9, gib: 2 ** 30 };

/** `400MiB`, `1GiB`, `512M`, `1.5G`, plain bytes. Throws naming the variable. */
export function parseSize(text: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`${name}=${JSON.stringify(text)}: not a size (examples: 400MiB, 1GiB, 512M)`);
  return Math.round(Number(m[1]) * unit);
}

/**
 * The plan for `env`: ORCHESTRION_WORKERS, when set, fixes the worker count; otherwise as many workers
 * as the budget holds at their minimum size, at least one, at most the cores (and 4). The budget left
 * after the base is shared by the workers, each at least MIN_INSTANCE: a budget below what one worker
 * needs still runs one (the build must go on), and the plan says so through `budget`.
 */
export function memoryPlan(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): MemoryPlan {
  const raw = env[MAX_MEMORY_ENV];
  const budget = raw ? parseSize(raw, MAX_MEMORY_ENV) : DEFAULT_MAX_MEMORY;
  let workers: number;
  const fixed = env[WORKERS_ENV];
  if (fixed) {
    workers = Number(fixed);
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`${WORKERS_ENV}=${JSON.stringify(fixed)}: not a positive whole number`);
  } else {
    const fits = Math.floor((budget - BASE) / (PER_THREAD + MIN_INSTANCE));
    workers = Math.max(1, Math.min(fits, cores, 4));
  }
  // An instance grows during a task by what that package needs (the runtime: ~60 MiB more), on top
  // of what it kept from earlier ones: replaced once past half its share, it stays within it.
  const share = Math.floor((budget - BASE) / workers) - PER_THREAD;
  const recycleMiB = Number(env[RECYCLE_ENV]);
  const recycleBytes = recycleMiB > 0 ? recycleMiB * MiB : Math.max(MIN_RECYCLE, Math.floor(share / 2));
  return { budget, workers, recycleBytes, gogc: WASM_GOGC };
}
