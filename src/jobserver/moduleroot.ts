// The main module's root directory: where orchestrion.tool.go and orchestrion.yml live.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { stripToolexec } from '../goflags.ts';
import { rootFromGoMod } from '../wrapper/goenv.ts';

export async function moduleRoot(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let gomod: string;
  try {
    gomod = (await execa('go', ['env', 'GOMOD'], { cwd, env: { ...env, GOFLAGS: stripToolexec(env.GOFLAGS) } })).stdout.trim();
  } catch (err) {
    const e = err as Error & { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('the Go toolchain is not installed or not on PATH (go env GOMOD failed: go: not found)');
    throw new Error(`go env GOMOD in ${cwd}: ${e.stderr?.trim() || e.message}`);
  }
  // Outside a module (or GO111MODULE=off) there is no configuration root; the directory itself is used.
  return rootFromGoMod(gomod, cwd);
}

/** The `module` path declared by `<root>/go.mod` ("" when there is none). */
export function rootModulePath(root: string): string {
  try {
    const m = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(fs.readFileSync(path.join(root, 'go.mod'), 'utf8').replace(/\/\/.*$/gm, ''));
    return m?.[2] ?? '';
  } catch {
    return '';
  }
}
