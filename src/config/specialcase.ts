// Import paths Orchestrion treats specially (config.md §1.7): never woven, or only by aspects marked
// tracer-internal. The job server applies them before weaving; `orchestrion diff` hides what they
// cover unless -debug.

export type SpecialMode = 'normal' | 'never' | 'tracer-internal';

/** The first prefix that holds decides (a prefix covers the path itself and the paths below it). */
const SPECIAL_CASES: { prefix: string; exact?: boolean; mode: SpecialMode }[] = [
  { prefix: 'github.com/DataDog/orchestrion/runtime', mode: 'normal' },
  { prefix: 'github.com/DataDog/orchestrion', mode: 'never' },
  { prefix: 'gopkg.in/DataDog/dd-trace-go.v1', mode: 'tracer-internal' },
  { prefix: 'github.com/DataDog/dd-trace-go/internal/orchestrion/_integration', mode: 'normal' },
  { prefix: 'github.com/DataDog/dd-trace-go/v2/internal/orchestrion/_integration', mode: 'normal' },
  { prefix: 'github.com/DataDog/dd-trace-go', mode: 'tracer-internal' },
  { prefix: 'github.com/DataDog/go-tuf/client', exact: true, mode: 'never' },
];

/** How a package is special, and the prefix that decided it. */
export function specialCase(importPath: string): { mode: SpecialMode; prefix?: string } {
  const sc = SPECIAL_CASES.find((c) => importPath === c.prefix || (!c.exact && importPath.startsWith(c.prefix + '/')));
  return sc ? { mode: sc.mode, prefix: sc.prefix } : { mode: 'normal' };
}

/**
 * The special cases as sh `case` patterns on an import path, in order (the first that matches
 * decides, as in specialCase): the compile gate's scopes (src/jobserver/compile-gate.ts).
 */
export function specialCasePatterns(): { pattern: string; mode: SpecialMode }[] {
  return SPECIAL_CASES.flatMap((c) => [{ pattern: c.prefix, mode: c.mode }, ...(c.exact ? [] : [{ pattern: `${c.prefix}/*`, mode: c.mode }])]);
}
