// The job-server protocol: every request and response between a toolexec process and the job
// server. This file is the only definition of the wire format; client.ts and server.ts import it.
//
// Transport: a Unix socket; one JSON object per line in each direction. Every request carries the
// protocol version (`v`), so the version handshake costs no extra round trip: a server that speaks
// another version answers with an error naming both.

import { StringDecoder } from 'node:string_decoder';

export const PROTOCOL_VERSION = 3;

/** Environment variable through which every toolexec child finds the job server. */
export const JOBSERVER_ENV = 'ORCHESTRION_JOBSERVER_URL';

/**
 * The `-V=full` suffix of this build, set by `orchestrion go` next to JOBSERVER_ENV: `bin/orchestrion`
 * (a shell script) answers `compile -V=full` and `link -V=full` with it without starting Node, and
 * the toolexec entry without a round trip. The server computes the same suffix when it is unset.
 */
export const VERSION_SUFFIX_ENV = 'ORCHESTRION_VERSION_SUFFIX';

/** A modified or re-usable build artifact, by label (`_pkg_.a`, `go_asm.h`). */
export type Artifacts = Record<string, string>;

export interface VersionSuffixParams {
  /** Absolute path of the tool asked for `-V=full` (its GOROOT identifies the toolchain). */
  tool: string;
}
export interface VersionSuffixResult {
  /** `orchestrion@<version>;<fingerprint>`, appended to the tool's own `-V=full` line. */
  suffix: string;
}

/** Environment variable carrying, into child builds, the chain of packages whose compiles asked for them (JSON array). */
export const RESOLVE_CHAIN_ENV = 'ORCHESTRION_RESOLVE_CHAIN';

export interface BuildStartParams {
  importPath: string;
  buildID: string;
  /** The packages whose compiles led to this one through child builds (RESOLVE_CHAIN_ENV); a repeat is a cycle. */
  chain?: string[];
}
/** Either this caller owns the build (token), or another caller already built it (reuse). */
export type BuildStartResult = { token: string } | { reuse: Artifacts };

export interface BuildFinishParams {
  importPath: string;
  buildID: string;
  token: string;
  /** On success: the artifacts to keep for later callers. */
  artifacts?: Artifacts;
  /** On failure: the message waiters inherit. */
  error?: string;
}
export type BuildFinishResult = Record<string, never>;

export interface InstrumentParams {
  /** TOOLEXEC_IMPORTPATH of the compile. */
  importPath: string;
  /** The compile's `-p`. */
  packageName: string;
  /** Absolute paths of the compile's `.go` files, in command-line order. */
  files: string[];
  importcfg: string;
  /** The compile's `-lang`, or "" when absent. */
  lang: string;
  /** The compile has `-std`: a package of the toolchain's standard library. */
  standardLibrary?: boolean;
  goos: string;
  goarch: string;
  /** Absolute path of the compiler (its GOROOT selects the wasm module built by that toolchain). */
  tool: string;
  /** Also answer why each aspect of the configuration did or did not apply (`orchestrion instrument -explain`). */
  explain?: boolean;
}

/**
 * The stage that decided an aspect's verdict for one package, in pipeline order: the job server's
 * special cases of import paths, its package-level pre-filter (import path, imports, package
 * filters), its file-level pre-filter (directive text, names), then the injector's syntax walk (no
 * node of that shape) and its type checks (e.g. an argument that does not implement an interface).
 * `matched` when the aspect applied.
 */
export type ExplainStage = 'special-case' | 'package' | 'file' | 'syntax' | 'types' | 'matched';

/** One place an aspect applied: the join point's position and the advice woven there. */
export interface ExplainMatch {
  file: string;
  line: number;
  column: number;
  /** Advice kinds applied there, in order (`prepend-statements`, `wrap-expression`, …). */
  advice: string[];
}

/** Why one aspect of the configuration did or did not apply to one package. */
export interface AspectVerdict {
  /** The aspect's id and the orchestrion.yml defining it (`<builtin>` for the built-in aspects). */
  aspect: string;
  file: string;
  /** Position of the aspect in the configuration (its order of application). */
  index: number;
  stage: ExplainStage;
  /** For a person: what was looked for and not found, or what matched. */
  reason: string;
  /** Where a rejection was decided when there is one place (a candidate node rejected by types). */
  at?: { file: string; line: number; column: number };
  matches?: ExplainMatch[];
}
export interface SyntheticReference {
  path: string;
  kind: 'import' | 'relocation';
  aspect: string;
}
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  aspect?: string;
  message: string;
}
export interface GeneratedOrigin {
  aspect: string;
  file: string;
}
export interface InstrumentResult {
  /**
   * Only modified files: original path → new content; `generated`, when known, the aspect (id and
   * orchestrion.yml) of each `//line <generated>:1` directive of the content, in order;
   * `parsedAs`, the name a leading `//line` directive gave the file, when one did.
   */
  files: { path: string; content: string; generated?: GeneratedOrigin[]; parsedAs?: string }[];
  references: SyntheticReference[];
  /** Minimum Go language level the injected code requires ("" for none). */
  langLevel: string;
  /** Fatal problems (syntax errors, template execution errors). Non-empty → the compile fails. */
  errors: Diagnostic[];
  /** True when pre-filters decided no aspect can apply and the wasm injector was not called. */
  skipped: boolean;
  /** With `explain`: one verdict per aspect of the configuration, in configuration order. */
  explain?: AspectVerdict[];
}

export interface ResolveParams {
  /** The package whose compile (or link) asks. */
  importPath: string;
  /** RESOLVE_CHAIN_ENV of the asking process. */
  chain: string[];
  /** Import paths to resolve. */
  packages: string[];
  /**
   * The asking go command's work directory ($WORK, the parent of the compile's or link's `bNNN`),
   * when known: under the user's -work, the child build keeps its own WORK inside it.
   */
  work?: string;
  /**
   * The caller is a link: a dependency no resolution lists an archive for is left out of the answer
   * rather than failing it. The answer is the packages and their dependencies either way (a link's
   * importcfg then does not depend on which resolutions happened to be settled), from resolutions
   * that already listed them, or one running for a set that includes them.
   */
  superset?: boolean;
  /**
   * The caller (a main package's compile) goes on to resolve the link-time dependencies of what it
   * gets, round after round: the job server may add, to this round's child build, the packages it
   * has seen the build's woven code reference, so that a later round finds them resolved. The answer
   * is still exactly the packages asked for and their dependencies.
   */
  closure?: boolean;
}
export interface ResolveResult {
  /** Import path → archive, for the requested packages and everything they depend on (but unsafe). */
  archives: Record<string, string>;
  /**
   * Archive → the text of its link.deps member, for those of `archives` that carry one (the others
   * carry none): read once by the job server, not by every compile that resolves the same packages.
   */
  linkDeps: Record<string, string>;
}

export type StatsParams = Record<string, never>;
export interface StatsResult {
  requests: Record<string, number>;
  /** Packages sent to the wasm injector. */
  instrumented: number;
  /** Packages whose injector answer came from the instrumentation cache. */
  cached: number;
  /** Packages the pre-filters kept away from the injector. */
  skipped: number;
  /** Compiles run through the never-build-twice table, and those that copied another's outputs. */
  compiles?: number;
  reused?: number;
  /** Milliseconds spent answering `instrument`, summed over requests (they overlap in time). */
  instrumentMs?: number;
  /** Child builds (`go list -export`) resolving injected packages, and their summed milliseconds. */
  childBuilds?: number;
  childBuildMs?: number;
  /** Milliseconds loading the configuration (and validating it, when the suffix was not known). */
  configMs?: number;
  /** Resolutions a persistent server's earlier build had made (no child build). */
  resolutionsReused?: number;
}

/**
 * A session of a persistent job server (`orchestrion server`): one build's own job server (its
 * never-build-twice table, resolutions, counters) that shares the persistent server's loaded
 * configuration, wasm workers and resolutions with the other builds of the same module. Opened on
 * the persistent server's control socket by `orchestrion go`; it ends when that connection closes.
 */
export interface SessionOpenParams {
  /** Module root of the build: must be the server's. */
  root: string;
  /** The go command line from the subcommand on (child builds share its flags). */
  goArgs: string[];
  /** The build's environment: child builds and `go list` run with it, not the server's. */
  env: Record<string, string>;
  /** The suffix `orchestrion go` found in its suffix cache, if any (ServerOptions.knownSuffix). */
  knownSuffix?: string;
  /**
   * A session for the toolexec calls of a plain `go` process (no `orchestrion go` around it): it
   * listens where those calls look (`go-<pid>` beside the server's directory) and ends with that
   * process, not with the control connection that opened it.
   */
  goPid?: number;
  /** Where the session stores the suffix it computes (ServerOptions.suffixCacheKey): a go process's session. */
  suffixCacheKey?: string;
}
export interface SessionOpenResult {
  /** Where the build's toolexec calls connect (ORCHESTRION_JOBSERVER_URL). */
  url: string;
  /** The persistent server's process id. */
  pid: number;
}
export interface SessionPrepareParams {
  goroot: string;
  goversion: string;
}
/** The configuration loaded and validated: its `-V=full` suffix and the files it was computed from. */
export interface SessionPrepareResult {
  suffix: string;
  inputs: string[];
  /** Schema-only problems (`schema: 'warn'`). */
  warnings?: string[];
}
export interface SessionPrefetchParams {
  sets: string[][];
  /** Not before the session's first toolexec request (a warm no-op build sends none). */
  onFirstCall?: boolean;
}
export interface SessionResolvedResult {
  sets: string[][];
}

/** Method name → params and result types. */
export interface Methods {
  'version.suffix': { params: VersionSuffixParams; result: VersionSuffixResult };
  'build.start': { params: BuildStartParams; result: BuildStartResult };
  'build.finish': { params: BuildFinishParams; result: BuildFinishResult };
  instrument: { params: InstrumentParams; result: InstrumentResult };
  'packages.resolve': { params: ResolveParams; result: ResolveResult };
  stats: { params: StatsParams; result: StatsResult };
  // The control socket of a persistent server (SessionOpenParams); `stats` answers there for the session.
  'session.open': { params: SessionOpenParams; result: SessionOpenResult };
  'session.prepare': { params: SessionPrepareParams; result: SessionPrepareResult };
  'session.prefetch': { params: SessionPrefetchParams; result: Record<string, never> };
  'session.resolved': { params: Record<string, never>; result: SessionResolvedResult };
  'session.close': { params: Record<string, never>; result: Record<string, never> };
  'session.archives': { params: Record<string, never>; result: { archives: Record<string, string> } };
}
export type Method = keyof Methods;
export const METHODS: readonly Method[] = [
  'version.suffix',
  'build.start',
  'build.finish',
  'instrument',
  'packages.resolve',
  'stats',
  'session.open',
  'session.prepare',
  'session.prefetch',
  'session.resolved',
  'session.close',
  'session.archives',
];

export interface Request<M extends Method = Method> {
  v: number;
  id: number;
  method: M;
  params: Methods[M]['params'];
}
export type Response<M extends Method = Method> =
  | { id: number; result: Methods[M]['result'] }
  | { id: number; error: { message: string } };

/** Checks the shape of a decoded request; returns an error message, or undefined when valid. */
export function checkRequest(msg: unknown): string | undefined {
  if (typeof msg !== 'object' || msg === null) return 'request is not a JSON object';
  const r = msg as Partial<Request>;
  if (typeof r.id !== 'number') return 'request has no numeric "id"';
  if (r.v !== PROTOCOL_VERSION) {
    return `protocol version mismatch: client speaks ${String(r.v)}, server speaks ${PROTOCOL_VERSION} (mixed orchestrion installations?)`;
  }
  if (typeof r.method !== 'string' || !METHODS.includes(r.method as Method)) {
    return `unknown method ${JSON.stringify(r.method)}`;
  }
  if (typeof r.params !== 'object' || r.params === null) return `${r.method}: "params" must be an object`;
  const p = r.params as unknown as Record<string, unknown>;
  const need = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      if (typeof p[k] !== 'string' || (k !== 'lang' && p[k] === '')) return `${r.method}: invalid request: "${k}" must be a non-empty string`;
    }
    return undefined;
  };
  switch (r.method) {
    case 'version.suffix':
      return need('tool');
    case 'build.start':
      return need('importPath', 'buildID');
    case 'build.finish':
      return need('importPath', 'buildID', 'token');
    case 'instrument':
      if (!Array.isArray(p.files) || !p.files.every((f) => typeof f === 'string')) return 'instrument: "files" must be an array of strings';
      return need('importPath', 'packageName', 'importcfg', 'goos', 'goarch', 'tool') ?? (typeof p.lang === 'string' ? undefined : 'instrument: "lang" must be a string');
    case 'packages.resolve':
      if (!Array.isArray(p.packages) || p.packages.length === 0 || !p.packages.every((x) => typeof x === 'string' && x !== '')) {
        return 'packages.resolve: "packages" must be a non-empty array of import paths';
      }
      if (!Array.isArray(p.chain) || !p.chain.every((x) => typeof x === 'string')) return 'packages.resolve: "chain" must be an array of strings';
      if (p.work !== undefined && (typeof p.work !== 'string' || !p.work.startsWith('/'))) return 'packages.resolve: "work" must be an absolute path';
      return need('importPath');
    case 'stats':
    case 'session.resolved':
    case 'session.close':
    case 'session.archives':
      return undefined;
    case 'session.open':
      if (!Array.isArray(p.goArgs) || !p.goArgs.every((x) => typeof x === 'string')) return 'session.open: "goArgs" must be an array of strings';
      if (typeof p.env !== 'object' || p.env === null || !Object.values(p.env).every((x) => typeof x === 'string')) return 'session.open: "env" must be an object of strings';
      if (p.knownSuffix !== undefined && typeof p.knownSuffix !== 'string') return 'session.open: "knownSuffix" must be a string';
      if (p.suffixCacheKey !== undefined && !(typeof p.suffixCacheKey === 'string' && /^[0-9a-f]{64}$/.test(p.suffixCacheKey))) return 'session.open: "suffixCacheKey" must be a sha256 in hex';
      if (p.goPid !== undefined && !(Number.isInteger(p.goPid) && (p.goPid as number) > 1)) return 'session.open: "goPid" must be a process id';
      return need('root');
    case 'session.prepare':
      return need('goroot', 'goversion');
    case 'session.prefetch':
      if (!Array.isArray(p.sets) || !p.sets.every((s) => Array.isArray(s) && s.every((x) => typeof x === 'string'))) return 'session.prefetch: "sets" must be an array of arrays of import paths';
      return undefined;
  }
}

/**
 * Serves the requests arriving on `socket`: each line decoded and checked, then `handle`d, and its
 * result or error written back under the request's id. `onLine` hears of every line first.
 */
export function serveRequests(
  socket: { write(s: string): unknown; writable: boolean; on(event: 'data', f: (chunk: Buffer) => void): unknown },
  handle: (req: Request) => Promise<unknown>,
  onLine: () => void = () => {},
): void {
  socket.on(
    'data',
    lineReader((line) => {
      onLine();
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        socket.write(encode({ id: 0, error: { message: 'request is not valid JSON' } }));
        return;
      }
      const id = typeof (msg as { id?: unknown })?.id === 'number' ? (msg as { id: number }).id : 0;
      const problem = checkRequest(msg);
      if (problem) {
        socket.write(encode({ id, error: { message: problem } }));
        return;
      }
      handle(msg as Request).then(
        (result) => socket.writable && socket.write(encode({ id, result })),
        (err: Error) => socket.writable && socket.write(encode({ id, error: { message: err.message } })),
      );
    }),
  );
}

/** Encodes one message as a line. */
export function encode(msg: unknown): string {
  return JSON.stringify(msg) + '\n';
}

/** Splits a byte stream into lines; calls onLine for each complete one. */
export function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  // A chunk may end inside a multi-byte character: the decoder keeps the partial bytes.
  const decoder = new StringDecoder('utf8');
  return (chunk) => {
    pending += decoder.write(chunk);
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.length > 0) onLine(line);
    }
  };
}

/** A job server address: `unix:<absolute socket path>`. */
export function socketPathOf(url: string): string {
  if (!url.startsWith('unix:')) throw new Error(`${JOBSERVER_ENV}=${url}: expected "unix:<socket path>"`);
  return url.slice('unix:'.length);
}
