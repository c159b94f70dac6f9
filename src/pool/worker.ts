// A piscina worker: instantiates the wasm injector once (top-level await, before the first task) and
// then serves instrument/validate calls with it for the life of the pool.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import { workerData } from 'piscina';
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
const go = new GoCtor();
go.env = { TMPDIR: process.env.TMPDIR ?? '/tmp' };
const instance = await WebAssembly.instantiate(data.module, go.importObject);
const exited = go.run(instance).then(() => {
  throw new Error('the wasm injector exited');
});

// main() registers the exports synchronously before it blocks, so they exist once run() yields.
let exports = g.orchestrionInjector as WasmExports | undefined;
for (let i = 0; !exports && i < 100; i++) {
  await Promise.race([new Promise((r) => setTimeout(r, 5)), exited]);
  exports = g.orchestrionInjector as WasmExports | undefined;
}
if (!exports) throw new Error('the wasm injector did not register globalThis.orchestrionInjector');
if (exports.apiVersion !== WASM_API_VERSION) {
  throw new Error(`wasm injector speaks API v${exports.apiVersion}, this orchestrion expects v${WASM_API_VERSION}: rebuild it (make wasm)`);
}
const api = exports;

/** Runs one task; the request and response cross the worker boundary as JSON text. */
export default async function run(task: WorkerTask): Promise<string> {
  const json = JSON.stringify(task.request);
  return task.kind === 'instrument' ? api.instrument(json) : api.validate(json);
}
