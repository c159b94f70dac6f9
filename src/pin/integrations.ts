// The dd-trace-go integrations `orchestrion pin` enables: like Orchestrion, it blank-imports
// dd-trace-go's `orchestrion/all/v2` meta-package (every contrib's aspects) and makes sure go.mod
// requires it, migrating projects still on dd-trace-go v1.
import { compareSemver } from './semver.ts';
import { requiredVersion, type GoMod, type GoModFile } from './gomod.ts';

export const DD_TRACE_V1 = 'gopkg.in/DataDog/dd-trace-go.v1';
export const DD_TRACE_V2_ALL = 'github.com/DataDog/dd-trace-go/orchestrion/all/v2';

/**
 * The version of the meta-package required when go.mod has none. Orchestrion asks the module proxy
 * for dd-trace-go's latest release (a list query) and installs the meta-package at that version or
 * at the one it was released with, whichever is newer. This pins one known release instead, so pin
 * gives the same go.mod every time and works with proxies that refuse list queries: v2.6.0 resolves
 * from the public proxy together with orchestrion v1.12.0 (which requires dd-trace-go v2.9.1; the
 * minimal version selection keeps that core version), while the meta-package's v2.9.1 does not
 * verify against the checksum database. A version already required is always kept.
 */
export const DD_TRACE_V2_ALL_VERSION = 'v2.6.0';

/** dd-trace-go v1 releases before this one predate its v2 transition package. */
const V1_TRANSITIONAL = 'v1.74.0';

/** Runs the `go get` commands that bring the integrations into go.mod (none when they are there). */
export async function ensureIntegrations(gomod: GoMod, mod: GoModFile): Promise<void> {
  const v1 = requiredVersion(mod, DD_TRACE_V1);
  if (v1 !== undefined && compareSemver(v1, V1_TRANSITIONAL) < 0) await gomod.get(`${DD_TRACE_V1}@latest`);
  if (requiredVersion(mod, DD_TRACE_V2_ALL) === undefined) await gomod.get(`${DD_TRACE_V2_ALL}@${DD_TRACE_V2_ALL_VERSION}`);
}
