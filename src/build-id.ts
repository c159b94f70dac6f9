// The tool's build ID as `npm run build` stamped it next to the bundles (dist/build-id).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The stamp in `distDir`; undefined without one (a partial build). */
export function stampedBuildID(distDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(distDir, 'build-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
