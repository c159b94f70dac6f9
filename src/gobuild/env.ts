// The identity of an environment for sharing results between builds.
import { createHash } from 'node:crypto';

/**
 * Variables that differ between builds without changing what a build produces: the job server's
 * address, the debug log, the stats files, where go puts its $WORK, the shell's own bookkeeping.
 */
const VOLATILE_ENV = new Set([
  'ORCHESTRION_JOBSERVER_URL',
  'ORCHESTRION_VERSION_SUFFIX',
  'ORCHESTRION_RESOLVE_CHAIN',
  'ORCHESTRION_LOG_FILE',
  'ORCHESTRION_STATS',
  'ORCHESTRION_CACHEPROG_STATS',
  'ORCHESTRION_GATE_DIR',
  'TOOLEXEC_IMPORTPATH',
  'GOTMPDIR',
  'PWD',
  'OLDPWD',
  'SHLVL',
  '_',
]);

/** Identity of an environment for sharing between builds: every variable but the volatile ones. */
export function envIdentity(env: NodeJS.ProcessEnv): string {
  const h = createHash('sha256');
  for (const k of Object.keys(env).sort()) if (!VOLATILE_ENV.has(k) && env[k] !== undefined) h.update(`${k}=${env[k]}\0`);
  return h.digest('hex');
}
