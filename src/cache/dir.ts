// Where orchestrion keeps what outlives a build (the suffix and instrumentation caches).
import * as os from 'node:os';
import * as path from 'node:path';

/** `$ORCHESTRION_CACHE_DIR`, else `$XDG_CACHE_HOME/orchestrion-ts` (or `~/.cache/orchestrion-ts`). */
export function userCacheDir(): string {
  if (process.env.ORCHESTRION_CACHE_DIR) return process.env.ORCHESTRION_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'orchestrion-ts');
}
