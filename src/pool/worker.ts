// A piscina worker: instantiates the wasm injector once (top-level await, before the first task) and
// then serves instrument/validate calls with it for the life of the pool.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import { workerData } from 'piscina';
import { logEvent } from '../log.ts';
import { WASM_API_VERSION, type WasmExports, type WorkerTask } from '../wasm/api.ts';

export interface PoolWorkerData {
  module: WebAssembly.Module;
  wasmExec: string;
}

const data = workerData as PoolWorkerData;

// Go's js/wasm port reaches the file system through these globals (as wasm_exec_node.js sets them).
const g = globalThis as Record<string, unknown>;
g.fs = fs;
g.path = nodePath;
g.require = createRequire(import.meta.url);
createRequire(import.meta.url)(data.wasmExec);

const GoCtor = g.Go as new () => { importObject: WebAssembly.Imports; env: Record<string, string>; run(i: WebAssembly.Instance): Promise<void> };

// A Go wasm heap only grows (linear memory cannot shrink), and Go 1.26's js/wasm runtime has been
// seen to fail with "found bad pointer in Go heap" once it is several hundred MiB large after a
// few hundred packages. So an instance is replaced by a fresh one when its memory passes this size
// (between tasks), and a task whose instance died is retried once on a fresh one.
const RECYCLE_BYTES = (Number(process.env.ORCHESTRION_WASM_RECYCLE_MIB) || 384) * 2 ** 20;

interface Instance {
  api: WasmExports;
  memory: WebAssembly.Memory;
  /** Rejects when the Go program exits (it never should while serving). */
  exited: Promise<never>;
  dead: boolean;
}

async function startInstance(): Promise<Instance> {
  const go = new GoCtor();
  go.env = { TMPDIR: process.env.TMPDIR ?? '/tmp', ...(process.env.XGOMEMLIMIT ? { GOMEMLIMIT: process.env.XGOMEMLIMIT } : {}), ...(process.env.XGOGC ? { GOGC: process.env.XGOGC } : {}) };
  const instance = await WebAssembly.instantiate(data.module, go.importObject);
  delete g.orchestrionInjector;
  const inst = { memory: instance.exports.mem as WebAssembly.Memory, dead: false } as Instance;
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

let current = await startInstance();

function call(inst: Instance, task: WorkerTask): Promise<string> {
  const json = JSON.stringify(task.request);
  return Promise.race([task.kind === 'instrument' ? inst.api.instrument(json) : inst.api.validate(json), inst.exited]);
}

/** Runs one task; the request and response cross the worker boundary as JSON text. */
export default async function run(task: WorkerTask): Promise<string> {
  if (current.dead || current.memory.buffer.byteLength > RECYCLE_BYTES) current = await startInstance();
  try {
    const out = await call(current, task);
    logEvent('wasm.task', { kind: task.kind, importPath: (task.request as { importPath?: string }).importPath, wasmMiB: current.memory.buffer.byteLength >> 20 });
    return out;
  } catch (err) {
    if (!current.dead) throw err;
    current = await startInstance();
    return call(current, task);
  }
}
