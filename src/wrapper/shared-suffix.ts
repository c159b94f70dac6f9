// The wrapper's use of the shared suffix (src/cache/suffix-share.ts): looked up through the
// build's GOCACHEPROG when the local suffix cache has nothing, stored there once computed.
import { decodeHint, encodeHint, type ResolveHint } from '../cache/resolve-hint.ts';
import { decodeIndex, encodeIndex, type PrefetchIndex } from '../cacheprog/prefetch.ts';
import { sharedSuffixActionID, sharedSuffixEntry, suffixFromSharedEntry } from '../cache/suffix-share.ts';
import { changedSince } from '../cache/suffix.ts';
import { startCacheClient, type CacheClient } from '../cacheprog/client.ts';
import { logEvent } from '../log.ts';
import type { GoEnv } from './goenv.ts';

export interface SharedSuffix {
  /** The suffix another machine (or an earlier build here) stored, if every input it read is the same here. */
  lookup(): Promise<{ suffix: string; inputs: string[] } | undefined>;
  /** Stores a suffix computed from `inputs`, unless one changed since `since` (ms). */
  store(suffix: string, inputs: string[], since: number): Promise<void>;
  /** The resolve hint (src/cache/resolve-hint.ts) stored for `target` under `suffix`, if any. */
  lookupHint(target: object, suffix: string): Promise<ResolveHint | undefined>;
  storeHint(target: object, hint: ResolveHint): Promise<void>;
  /** The prefetch index (src/cacheprog/prefetch.ts) stored for `target` under `suffix`, if any. */
  lookupIndex(target: object, suffix: string): Promise<PrefetchIndex | undefined>;
  storeIndex(target: object, suffix: string, index: PrefetchIndex): Promise<void>;
  /** Ends the GOCACHEPROG session; a later call starts another. */
  close(): Promise<void>;
}

/**
 * Undefined without a GOCACHEPROG (a local GOCACHE is this machine's: the local suffix cache serves
 * it), and in a workspace: there the versions of module-cache inputs depend on every workspace
 * module's go.mod, which the key does not hold.
 */
export function sharedSuffix(env: NodeJS.ProcessEnv, ge: GoEnv, root: string, parts: Record<string, unknown>): SharedSuffix | undefined {
  const prog = env.GOCACHEPROG;
  if (!prog || (ge.GOWORK !== '' && ge.GOWORK !== 'off')) return undefined;
  const goenv = { GOVERSION: ge.GOVERSION, GOOS: ge.GOOS, GOARCH: ge.GOARCH, CGO_ENABLED: ge.CGO_ENABLED, GOFLAGS: ge.GOFLAGS, GOEXPERIMENT: ge.GOEXPERIMENT };
  // Computed when first used (they hash the root's go.mod, go.sum and configuration files): a build
  // whose suffix and hint this machine has needs neither.
  const actionID = () => sharedSuffixActionID({ ...parts, goenv }, root);
  const hintID = (target: object) => sharedSuffixActionID({ ...parts, goenv, resolveHint: target }, root);
  // Under the suffix too: the action IDs it lists are those of one suffix.
  const indexID = (target: object, suffix: string) => sharedSuffixActionID({ ...parts, goenv, prefetchIndex: target, suffix }, root);
  let client: CacheClient | undefined;
  const connect = () => (client ??= startCacheClient(prog, env));
  return {
    async lookup() {
      const body = await connect()?.get(actionID());
      const suffix = body && suffixFromSharedEntry(body, root, ge.GOMODCACHE);
      logEvent('wrapper.shared-suffix', { found: body !== undefined, used: suffix !== undefined });
      if (!body || !suffix) return undefined;
      return { suffix: suffix.suffix, inputs: suffix.inputs };
    },
    async store(suffix, inputs, since) {
      if (changedSince(inputs, since)) return;
      await connect()?.put(actionID(), sharedSuffixEntry(suffix, inputs, root, ge.GOMODCACHE));
    },
    async lookupHint(target, suffix) {
      const body = await connect()?.get(hintID(target));
      const hint = body && decodeHint(body, suffix);
      logEvent('wrapper.shared-hint', { found: body !== undefined, used: hint !== undefined });
      return hint || undefined;
    },
    async storeHint(target, hint) {
      await connect()?.put(hintID(target), encodeHint(hint));
    },
    async lookupIndex(target, suffix) {
      const body = await connect()?.get(indexID(target, suffix));
      const index = body && decodeIndex(body);
      logEvent('wrapper.shared-index', { found: body !== undefined, used: index !== undefined, main: index ? index.main.length : 0, child: index ? index.child.length : 0 });
      return index || undefined;
    },
    async storeIndex(target, suffix, index) {
      await connect()?.put(indexID(target, suffix), encodeIndex(index));
    },
    async close() {
      const c = client;
      client = undefined;
      await c?.close();
    },
  };
}
