// A first weave for nothing, while a cold build is still loading its configuration. V8 compiles a
// wasm function the first time it runs, so the first real weave (the runtime's, on the build's
// critical path: everything imports it) paid for compiling the parser, type checker, decorator and
// printer. Compiled code belongs to the module, shared by every worker and every later instance: in
// one instance, the runtime's first weave took 1.24–1.41 s after this one instead of 1.63–1.69 s
// (docs/PERFORMANCE.md, eleventh session). test/warmup.test.ts checks that it really weaves.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Aspect, InstrumentRequest } from '../wasm/api.ts';

/**
 * A package of the toolchain's own sources that imports nothing (so no export data is needed) and
 * has methods, structs and arithmetic enough to run most of what a weave runs.
 */
const PACKAGE = 'image/color';

/** Aspects that exercise the common advice: statements prepended to bodies, a field, declarations. */
const ASPECTS: Aspect[] = [
  {
    id: 'warm-up: prepend',
    'join-point': { 'function-body': { function: [{ name: 'RGBA' }] } },
    advice: [{ 'prepend-statements': { template: '_ = {{ printf "%q" .Function.Name }}' } }],
  },
  {
    id: 'warm-up: field',
    'join-point': { 'struct-definition': `${PACKAGE}.RGBA` },
    advice: [{ 'add-struct-field': { name: 'warmUp', type: 'any' } }, { 'inject-declarations': { template: 'func warmUp() int { return 0 }' } }],
  },
];

/** The warm-up request for the toolchain at `goroot`, or undefined when its sources are not there. */
export function warmUpRequest(goroot: string): Omit<InstrumentRequest, 'apiVersion'> | undefined {
  const dir = path.join(goroot, 'src', PACKAGE);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  return {
    importPath: PACKAGE,
    goVersion: '',
    goos: process.platform,
    goarch: process.arch === 'x64' ? 'amd64' : process.arch,
    files: names.sort().map((f) => path.join(dir, f)),
    importcfg: '',
    aspects: ASPECTS,
    ignoreSpecialCases: true,
    standardLibrary: true,
  };
}
