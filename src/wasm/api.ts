// TypeScript mirror of the wasm injector API (go-helpers/api/api.go). The two must change together:
// WASM_API_VERSION is sent with every call and checked on both ends.

export const WASM_API_VERSION = 0;

/** An aspect as written in orchestrion.yml, converted to JSON unchanged (singleton mappings). */
export interface Aspect {
  id: string;
  'tracer-internal'?: boolean;
  'join-point': unknown;
  advice: unknown[];
}

export interface InstrumentRequest {
  apiVersion: number;
  importPath: string;
  goVersion: string;
  goos: string;
  goarch: string;
  files: string[];
  importcfg: string;
  aspects: Aspect[];
  /** The compile is the generated test main of a test binary (for `test-main`). */
  testMain?: boolean;
  /** What the `Version` template function returns. */
  orchestrionVersion?: string;
  /** Module path of the build's main module (for `package-filter` with `root: true`). */
  rootModulePath?: string;
  /** The map the deprecated `configuration` join point reads; absent: {httpmode: wrap}. */
  rootConfig?: Record<string, string>;
  /** Skip the injector's own special-casing of import paths: the job server already applied it. */
  ignoreSpecialCases?: boolean;
  /** Also answer, for each aspect sent, why it did or did not apply (`explain` below). */
  explain?: boolean;
  /**
   * A package of the toolchain's standard library (its compile has `-std`): it type-checks, so the
   * injector checks no function body when no aspect looks inside one.
   */
  standardLibrary?: boolean;
}

/**
 * The injector's verdict on one aspect sent (by index in `aspects`): `package` (its own
 * package-level filter, or its special cases when not ignored, ruled the package out), `file` (its
 * own file-level filter rejected every file, the parsed file's declarations included), `syntax`
 * (no node of the join point's shape), `types` (nodes of that shape, rejected by a type check: `at`
 * is the first), or `matched` with the places.
 */
export interface WasmAspectVerdict {
  aspectIndex: number;
  stage: 'package' | 'file' | 'syntax' | 'types' | 'matched';
  reason: string;
  at?: { file: string; line: number; column: number };
  matches?: { file: string; line: number; column: number; advice: string[] }[];
}

export interface WasmDiagnostic {
  file: string;
  line: number;
  column: number;
  aspect?: string;
  message: string;
}

export interface InstrumentResponse {
  apiVersion: number;
  /**
   * `generated`: the aspect of each `//line <generated>:1` directive of the content, in order;
   * `parsedAs`: the name a leading `//line` directive gave the file (absent when none did).
   */
  files: { path: string; content: string; generated?: string[]; parsedAs?: string }[] | null;
  references: { path: string; kind: 'import' | 'relocation'; aspect: string }[] | null;
  langLevel: string;
  errors: WasmDiagnostic[] | null;
  warnings: WasmDiagnostic[] | null;
  /** With `explain`: one verdict per aspect sent. */
  explain?: WasmAspectVerdict[] | null;
}

export interface ValidateRequest {
  apiVersion: number;
  aspects: Aspect[];
}

export interface ValidateResponse {
  apiVersion: number;
  errors: { aspectIndex: number; aspect: string; path: string; message: string }[] | null;
}

/** What a pool worker is asked to do. */
export type WorkerTask = { kind: 'instrument'; request: InstrumentRequest } | { kind: 'validate'; request: ValidateRequest };

/** The object go-helpers/main_js.go installs on globalThis. */
export interface WasmExports {
  apiVersion: number;
  instrument(json: string): Promise<string>;
  validate(json: string): Promise<string>;
}
