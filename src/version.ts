// This tool's identity: its version, and a build ID that changes whenever its own code changes, so
// a rebuilt orchestrion invalidates Go's build cache as a new release would.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (dist/version.js → ..). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let version: string | undefined;
export function toolVersion(): string {
  return (version ??= (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
}

let buildID: string | undefined;
/** The build ID `npm run build` stamped into dist/build-id; computed when there is no stamp. */
export function toolBuildID(helpersHash: string): string {
  if (buildID) return buildID;
  try {
    buildID = fs.readFileSync(path.join(PROJECT_ROOT, 'dist', 'build-id'), 'utf8').trim();
  } catch {
    // not stamped (a partial build)
  }
  return (buildID ||= computeToolBuildID(helpersHash));
}

/**
 * Hash of the built JavaScript (dist/) and the injector's Go sources, but the cache program's
 * (dist/cacheprog*, dist/commands/cacheprog.js): it stores what builds produce and cannot change it, so a new version of it
 * must not invalidate every cached compile.
 */
export function computeToolBuildID(helpersHash: string): string {
  const h = createHash('sha256').update(helpersHash);
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (ent.name.startsWith('cacheprog')) continue;
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (/\.(c?js)$/.test(ent.name)) h.update(ent.name).update(fs.readFileSync(p));
    }
  };
  walk(path.join(PROJECT_ROOT, 'dist'));
  return h.digest('hex').slice(0, 16);
}
