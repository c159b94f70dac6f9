// A piscina worker: instantiates the wasm injector once (top-level await, before the first task) and
// then serves instrument/validate calls with it for the life of the pool.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { workerData } from 'piscina';
import { logEvent } from '../log.ts';
import { WASM_API_VERSION, type WasmExports, type WorkerTask } from '../wasm/api.ts';

export interface PoolWorkerData {
  module: WebAssembly.Module;
  wasmExec: string;
  /** The instance is replaced after a task that took its memory past this size (budget.ts). */
  recycleBytes: number;
  /** GOGC inside the instance. */
  gogc: number;
}

const data = workerData as PoolWorkerData;

// Go's js/wasm port reaches the file system through these globals (as wasm_exec_node.js sets them).
const g = globalThis as Record<string, unknown>;
g.fs = fs;
g.path = nodePath;
g.require = createRequire(import.meta.url);
createRequire(import.meta.url)(data.wasmExec);

interface GoRuntime {
  importObject: WebAssembly.Imports;
  env: Record<string, string>;
  run(i: WebAssembly.Instance): Promise<void>;
  /** wasm_exec.js's pending wake-ups of the Go scheduler (its timers: GC pacing, the scavenger). */
  _scheduledTimeouts?: Map<number, NodeJS.Timeout>;
}
const GoCtor = g.Go as new () => GoRuntime;

// A Go wasm heap only grows (linear memory cannot shrink), and Go 1.26's js/wasm runtime has been
// seen to fail with "found bad pointer in Go heap" once it is several hundred MiB large after a
// few hundred packages. So an instance is replaced by a fresh one when its memory passes the
// budget's recycle size (after a task), and a task whose instance died is retried once on a fresh one.
const RECYCLE_BYTES = data.recycleBytes;

interface Instance {
  go: GoRuntime;
  api: WasmExports;
  memory: WebAssembly.Memory;
  /** Rejects when the Go program exits (it never should while serving). */
  exited: Promise<never>;
  dead: boolean;
}

async function startInstance(): Promise<Instance> {
  const go = new GoCtor();
  go.env = { TMPDIR: process.env.TMPDIR ?? '/tmp', GOGC: String(data.gogc) };
  const instance = await WebAssembly.instantiate(data.module, go.importObject);
  delete g.orchestrionInjector;
  const inst = { go, memory: instance.exports.mem as WebAssembly.Memory, dead: false } as Instance;
  inst.exited = go.run(instance).then(() => {
    inst.dead = true;
    throw new Error('the wasm injector exited');
  });
  inst.exited.catch(() => {}); // observed by the task racing it; an idle instance's exit must not crash the worker

  // main() registers the exports synchronously before it blocks, so they exist once run() yields.
  let exports = g.orchestrionInjector as WasmExports | undefined;
  for (let i = 0; !exports && i < 100; i++) {
    await Promise.race([new Promise((r) => setTimeout(r, 5)), inst.exited]);
    exports = g.orchestrionInjector as WasmExports | undefined;
  }
  if (!exports) throw new Error('the wasm injector did not register globalThis.orchestrionInjector');
  if (exports.apiVersion !== WASM_API_VERSION) {
    throw new Error(`wasm injector speaks API v${exports.apiVersion}, this orchestrion expects v${WASM_API_VERSION}: rebuild it (make wasm)`);
  }
  inst.api = exports;
  return inst;
}

// A retired instance's linear memory is freed only once nothing reaches the instance: wake-ups its
// Go program may have scheduled with setTimeout (the Go runtime's timers) would, so they are
// cancelled; and a collection runs at once, since this thread's small JS heap would not ask for
// one. (A build saw replaced instances stay resident: see the first instance below.)
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

let current: Instance | undefined;
// Started before the first task. Not `current = await startInstance()`: the module's top-level
// generator would keep the awaited instance, and this first one would never be freed.
await startInstance().then((inst) => {
  current = inst;
});

function retire(): void {
  const timers = current?.go._scheduledTimeouts;
  for (const t of timers?.values() ?? []) clearTimeout(t);
  timers?.clear();
  delete g.orchestrionInjector;
  current = undefined;
  // Once the task's frames (which still hold the instance) are gone.
  setImmediate(collect);
}

function call(inst: Instance, task: WorkerTask): Promise<string> {
  const json = JSON.stringify(task.request);
  return Promise.race([task.kind === 'instrument' ? inst.api.instrument(json) : inst.api.validate(json), inst.exited]);
}

/** Runs one task; the request and response cross the worker boundary as JSON text. */
export default async function run(task: WorkerTask): Promise<string> {
  const t0 = performance.now();
  if (!current || current.dead) current = await startInstance();
  const inst = current;
  try {
    return await call(inst, task);
  } catch (err) {
    if (!inst.dead) throw err;
    const fresh = (current = await startInstance());
    return await call(fresh, task);
  } finally {
    const wasmMiB = current ? current.memory.buffer.byteLength >> 20 : 0;
    // Between tasks, not on the next one: the memory is given back while the worker is idle.
    if (current && current.memory.buffer.byteLength > RECYCLE_BYTES) retire();
    const ms = Math.round(performance.now() - t0);
    logEvent('wasm.task', { kind: task.kind, importPath: (task.request as { importPath?: string }).importPath, ms, wasmMiB, retired: current === undefined });
  }
}
