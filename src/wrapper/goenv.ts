// The go command's view of the environment, in one `go env -json` call: `orchestrion go` needs the
// main module (where the configuration lives), the toolchain, and what its suffix cache is keyed by.
// On the wrapper's start-up path, so run without execa (see toolexec/run.ts).
import * as path from 'node:path';
import { stripToolexec } from '../goflags.ts';
import { spawnTool } from '../toolexec/run.ts';

export const GO_ENV_VARS = ['GOMOD', 'GOWORK', 'GOROOT', 'GOVERSION', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'GOFLAGS', 'GOEXPERIMENT', 'GOPATH', 'GOMODCACHE', 'GOAMD64', 'GOARM64', 'GOARM'] as const;
export type GoEnv = Record<(typeof GO_ENV_VARS)[number], string>;

export async function goEnv(cwd: string, env: NodeJS.ProcessEnv): Promise<GoEnv> {
  const goenv = { ...env, GOFLAGS: stripToolexec(env.GOFLAGS) };
  let r;
  try {
    r = await spawnTool('go', ['env', '-json', ...GO_ENV_VARS], { stdio: ['ignore', 'pipe', 'pipe'], env: goenv, cwd });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the Go toolchain is not installed or not on PATH (go env failed: go: not found)');
    throw new Error(`go env in ${cwd}: ${(err as Error).message}`);
  }
  if (r.code !== 0) throw new Error(`go env in ${cwd}: ${r.stderr.trim() || `exit status ${r.code ?? r.signal}`}`);
  const stdout = r.stdout;
  const parsed = JSON.parse(stdout) as Partial<GoEnv>;
  const out = {} as GoEnv;
  for (const k of GO_ENV_VARS) out[k] = parsed[k] ?? '';
  return out;
}

/** The main module's root directory for `go env GOMOD`, or `cwd` outside a module (GO111MODULE=off, no go.mod). */
export function rootFromGoMod(gomod: string, cwd: string): string {
  if (gomod === '' || gomod === '/dev/null' || gomod === 'NUL') return cwd;
  return path.dirname(gomod);
}
