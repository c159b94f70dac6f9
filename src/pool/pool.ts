// The worker pool that runs the wasm injector. The module is compiled once here and handed to every
// worker, so each worker only instantiates it.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { WasmFiles } from '../wasm/module.ts';
import { WASM_API_VERSION, type InstrumentRequest, type InstrumentResponse, type ValidateRequest, type ValidateResponse, type WorkerTask } from '../wasm/api.ts';
import { memoryPlan, type MemoryPlan } from './budget.ts';
import { warmUpRequest } from './warmup.ts';
import type { PoolWorkerData } from './worker.ts';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

export class InjectorPool {
  private readonly piscina: Piscina<WorkerTask, string>;
  readonly files: WasmFiles;

  /** `plan` defaults to the environment's (ORCHESTRION_MAX_MEMORY, ORCHESTRION_WORKERS). */
  constructor(files: WasmFiles, plan: MemoryPlan = memoryPlan()) {
    this.files = files;
    const module = new WebAssembly.Module(fs.readFileSync(files.wasm));
    const workerData: PoolWorkerData = { module, wasmExec: files.wasmExec, recycleBytes: plan.recycleBytes, gogc: plan.gogc };
    this.piscina = new Piscina({ filename: WORKER, minThreads: plan.workers, maxThreads: plan.workers, idleTimeout: Infinity, workerData });
  }

  async instrument(request: Omit<InstrumentRequest, 'apiVersion'>): Promise<InstrumentResponse> {
    return this.call<InstrumentResponse>({ kind: 'instrument', request: { apiVersion: WASM_API_VERSION, ...request } });
  }

  private warmed = false;

  /**
   * Once per pool: a weave of a small package of the toolchain, answer dropped, so that V8 has
   * compiled the injector's code before the build's first real weave (warmup.ts). Errors are
   * dropped too: a real weave reports its own.
   */
  warmUp(goroot: string): void {
    if (this.warmed) return;
    this.warmed = true;
    const request = warmUpRequest(goroot);
    if (request) this.instrument(request).catch(() => {});
  }

  async validate(request: Omit<ValidateRequest, 'apiVersion'>): Promise<ValidateResponse> {
    return this.call<ValidateResponse>({ kind: 'validate', request: { apiVersion: WASM_API_VERSION, ...request } });
  }

  private async call<T extends { apiVersion: number }>(task: WorkerTask): Promise<T> {
    const res = JSON.parse(await this.piscina.run(task)) as T & { error?: string };
    if (res.apiVersion !== WASM_API_VERSION) {
      throw new Error(`wasm injector answered with API v${res.apiVersion}, expected v${WASM_API_VERSION}${res.error ? `: ${res.error}` : ''}`);
    }
    return res;
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}
