// bin/orchestrion starts the long-lived processes (`orchestrion go`, whose thread hosts the job
// server, and the other CLI commands) with glibc's malloc limited to two arenas and trimming freed
// memory above 1 MiB: V8's compiler threads and the wasm workers otherwise leave tens of MiB of
// freed memory resident in per-thread arenas (measured: ~80 MiB less at the peak of a cold build).
// glibc reads the variables when the process starts; the Go commands and tools these processes
// run get the environment the user gave, so they are taken out again here, first thing.
export const MALLOC_TUNED_ENV = 'ORCHESTRION_MALLOC_TUNED';

export function restoreUserMallocEnv(env: NodeJS.ProcessEnv = process.env): void {
  if (env[MALLOC_TUNED_ENV] !== '1') return;
  delete env.MALLOC_ARENA_MAX;
  delete env.MALLOC_TRIM_THRESHOLD_;
  delete env[MALLOC_TUNED_ENV];
}
