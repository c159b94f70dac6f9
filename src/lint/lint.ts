// `orchestrion lint`: checks a module's configuration exactly as `orchestrion go` does before it
// builds — orchestrion.tool.go imports located with go list, every orchestrion.yml (and what it
// extends) parsed and decoded, the aspects decoded by the injector (join
// points, advice, templates), the packages advice injects found — without building anything. The
// job server does the checking, so lint and the build can never disagree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_YML, TOOL_GO } from '../config/load.ts';
import { moduleRoot } from '../jobserver/moduleroot.ts';
import { stripToolexec } from '../goflags.ts';
import { makeJobDir, runtimeDir, sweepRuntimeDir } from '../jobserver/runtime-dir.ts';
import { JobServer } from '../jobserver/server.ts';
import { pathToolchain } from '../wasm/module.ts';

export interface LintResult {
  /** The module root whose configuration was checked. */
  root: string;
  /** False when the root has neither orchestrion.tool.go nor orchestrion.yml (nothing to check). */
  configured: boolean;
  /** The first problem found (`file:line:col: aspect "id": …`). */
  error?: string;
  /** What the JSON Schema finds that the build accepts (`file:line:col: …`). */
  warnings?: string[];
}

async function lintRoot(root: string, env: NodeJS.ProcessEnv): Promise<LintResult> {
  const configured = [TOOL_GO, CONFIG_YML].some((f) => fs.existsSync(path.join(root, f)));
  if (!configured) return { root, configured };
  // A job directory like a build's, with an owner record: an interrupted lint leaves nothing for long.
  const runtime = runtimeDir();
  sweepRuntimeDir(runtime);
  const server = await JobServer.listen({ root, dir: makeJobDir(runtime), schema: 'warn' });
  try {
    const { warnings } = await server.prepare(await pathToolchain(root, env));
    return { root, configured, warnings };
  } catch (err) {
    return { root, configured, error: (err as Error).message };
  } finally {
    await server.close();
  }
}

/** Checks the configuration of the modules containing `dirs`, each module once. */
export async function lintModules(dirs: string[]): Promise<LintResult[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: stripToolexec(process.env.GOFLAGS) };
  const roots = new Set<string>();
  for (const dir of dirs) roots.add(await moduleRoot(path.resolve(dir), env));
  const results: LintResult[] = [];
  for (const root of roots) results.push(await lintRoot(root, env));
  return results;
}
