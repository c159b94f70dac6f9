// Which imports of orchestrion.tool.go bring no integration, and why (what `orchestrion pin` prunes):
// an imported package is an integration when its directory has an orchestrion.yml, or an
// orchestrion.tool.go whose imports contribute aspects. Its configuration is loaded as a build
// would load it, so one that fails to load (with the schema checked under `-validate`) is reported
// with the loader's error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { jsonStream } from '../config/injectables.ts';
import { CONFIG_YML, TOOL_GO, loadPackageConfig } from '../config/load.ts';
import { GO_NOT_FOUND, isNotFound } from '../gocommand.ts';

interface ListedPackage {
  ImportPath: string;
  Dir?: string;
  GoFiles?: string[];
  IgnoredGoFiles?: string[];
  Error?: { Err: string };
}

const NO_CONFIG = `there is no ${CONFIG_YML} nor ${TOOL_GO} file in this package`;

/** Import path → why it is unnecessary; paths that bring integrations are absent. */
export async function unnecessaryImports(root: string, paths: string[], env: NodeJS.ProcessEnv, validate: boolean): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (paths.length === 0) return reasons;
  const r = await execa('go', ['list', '-e', '-json=ImportPath,Dir,GoFiles,IgnoredGoFiles,Error', '--', ...paths], { cwd: root, env, reject: false });
  if (isNotFound(r)) throw new Error(`${GO_NOT_FOUND} (go list failed: go: not found)`);
  if (r.exitCode !== 0) throw new Error(`go list ${paths.join(' ')}: ${r.stderr.trim()}`);
  for (const raw of jsonStream(r.stdout)) {
    const pkg = raw as ListedPackage;
    const hasFiles = (pkg.GoFiles?.length ?? 0) + (pkg.IgnoredGoFiles?.length ?? 0) > 0;
    if (!pkg.Dir || !hasFiles) {
      reasons.set(pkg.ImportPath, pkg.Error?.Err ?? NO_CONFIG);
      continue;
    }
    try {
      const aspects = await loadPackageConfig(root, pkg.Dir, env, { schema: validate ? 'error' : 'off' });
      if (aspects.length === 0 && !fs.existsSync(path.join(pkg.Dir, CONFIG_YML))) reasons.set(pkg.ImportPath, pkg.Error?.Err ?? NO_CONFIG);
    } catch (err) {
      reasons.set(pkg.ImportPath, (err as Error).message);
    }
  }
  return reasons;
}
