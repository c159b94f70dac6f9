// The configuration fingerprint: the part of the `-V=full` suffix that makes Go's build cache
// distinguish builds made with different aspects or a different orchestrion.
import { createHash } from 'node:crypto';
import type { Aspect } from '../wasm/api.ts';

/** JSON with object keys sorted, so equal configurations hash equally whatever their key order. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * `orchestrion@<version>;<fingerprint>` for a tool identity, a set of aspects, the fingerprint of
 * what they inject and the templates' `Version` (which woven code may hold).
 */
export function versionSuffix(version: string, toolBuildID: string, aspects: Aspect[], injectables = '', templateVersion = ''): string {
  const h = createHash('sha512');
  h.update(`orchestrion-ts\0${version}\0${toolBuildID}\0${templateVersion}\0`);
  h.update(canonicalJSON(aspects));
  h.update(`\0${injectables}`);
  return `orchestrion@v${version};${h.digest('base64url')}`;
}
