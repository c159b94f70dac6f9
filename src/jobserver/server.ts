// The job server: one per build (or a daemon shared by the toolexec calls of one `go` command).
// It owns the state every toolexec process of a build shares: the loaded configuration and its
// `-V=full` suffix, the never-build-twice table, and the pool of wasm injector workers.
import * as fs from 'node:fs';
import type * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as path from 'node:path';
import { orchestrionVersionAt } from '../config/orchestrion-version.ts';
import { ConfigError, loadConfig, type LoadedConfig, type SchemaMode, type SourcedAspect } from '../config/load.ts';
import { versionSuffix } from '../config/fingerprint.ts';
import { specialCase } from '../config/specialcase.ts';
import { injectablesFingerprint, injectedPaths } from '../config/injectables.ts';
import { fileMayMatch, filesNoReason, packageClause, packageMayMatch, packageNoReason, type PackageContext } from '../config/prefilter.ts';
import { parseImportConfig } from '../gobuild/importcfg.ts';
import { LinkDeps } from '../gobuild/linkdeps.ts';
import { archiveIdentity } from '../gobuild/archive.ts';
import { writeSuffix } from '../cache/suffix.ts';
import { logEvent } from '../log.ts';
import type { InjectorPool } from '../pool/pool.ts';
import { PROJECT_ROOT, toolBuildID, toolVersion } from '../version.ts';
import { helpersHash, toolchainOfTool, type Toolchain } from '../wasm/module.ts';
import type { WasmAspectVerdict } from '../wasm/api.ts';
import type { ResultPromise } from 'execa';
import { childBuildArgs, parseGoFlags, stripToolexec } from '../goflags.ts';
import { instrumentCacheKey, readInstrumentResult, sourceDirs, writeInstrumentResult } from '../cache/instrument.ts';
import { ROLE_ENV } from '../cacheprog/prefetch.ts';
import { GATE_DIR_ENV, markChildBuilds, writeGate } from './compile-gate.ts';
import { BuildOnce } from './buildonce.ts';
import { PSEUDO, childBuild } from './childbuild.ts';
import { listenUnix } from './listen.ts';
import { rootModulePath } from './moduleroot.ts';
import { SharedState, answerFrom, type Resolution } from './shared.ts';
import { envIdentity } from '../gobuild/env.ts';
import {
  JOBSERVER_ENV,
  VERSION_SUFFIX_ENV,
  RESOLVE_CHAIN_ENV,
  serveRequests,
  type AspectVerdict,
  type ExplainStage,
  type InstrumentParams,
  type ResolveParams,
  type SessionPrepareResult,
  type InstrumentResult,
  type Method,
  type Methods,
  type Request,
  type StatsResult,
} from './protocol.ts';

export interface ServerOptions {
  /** Module root the configuration is loaded from. */
  root: string;
  /** Directory (mode 0700) holding the socket and the server's private files. */
  dir: string;
  /** The user's `go` command line from the subcommand on (`build -tags x ./...`), for child builds. */
  goArgs?: string[];
  /**
   * The `-V=full` suffix `orchestrion go` found in its suffix cache for this configuration: it was
   * validated when stored, and none of its inputs changed since, so the server neither validates
   * the aspects again nor fingerprints the injectables.
   */
  knownSuffix?: string;
  /**
   * Where the suffix this server computes is stored (cache/suffix.ts) when no `orchestrion go` is
   * around to do it: a plain `go` process's session (daemon.ts).
   */
  suffixCacheKey?: string;
  /** JSON Schema checking of the YAML files: `off` for builds (as Orchestrion's compile-time loader), `warn` for lint. */
  schema?: SchemaMode;
  /** The build's environment (child builds, `go list`); this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** What a persistent server's builds share (pools, configurations, resolutions); else the server's own. */
  shared?: SharedState<ConfigState>;
}

/** A resolution started before anyone asked for it (`prefetch`), named as the recording names it. */
const PREFETCH = '(prefetch)';
/** Archives whose link.deps the job server remembers (a few hundred per configuration's injected packages). */
const MAX_CARRIED = 20_000;

/** What `prepare` answers: the suffix, and the files and directories it was computed from. */
export type Prepared = SessionPrepareResult;

export interface ConfigState extends Prepared {
  signature: string;
  config: LoadedConfig;
  /** The templates' `Version` (go.mod is among the config's files: a new pin reloads it). */
  orchestrionVersion: string;
}

export class JobServer {
  readonly url: string;
  private readonly buildOnce: BuildOnce;
  private readonly shared: SharedState<ConfigState>;
  private readonly env: NodeJS.ProcessEnv;
  private configState: Promise<ConfigState> | undefined;
  /**
   * The same configuration once its suffix is known, which may be before its validation has ended:
   * go's `-V=full` and the compile gate need no more, so go's first compiles do not wait for the
   * validation (a wasm call); whatever weaves waits for configState.
   */
  private configEarly: Promise<ConfigState> | undefined;
  /** `opts.knownSuffix` stands for the configuration as the build started: used by the first load only. */
  private knownSuffixUnused = true;
  /** `prepare` was called: the wrapper (`orchestrion go`) reports a configuration error itself. */
  private preparedFor = false;
  private readonly sockets = new Set<Duplex>();
  private readonly stats: Required<StatsResult> = { requests: {}, instrumented: 0, cached: 0, skipped: 0, compiles: 0, reused: 0, instrumentMs: 0, childBuilds: 0, childBuildMs: 0, configMs: 0, resolutionsReused: 0 };
  private readonly rootModule: string;
  /** Time of the last request or disconnect; the daemon's idle timer reads it. */
  lastActivity = Date.now();

  private readonly opts: ServerOptions;
  private readonly server: net.Server | undefined;
  readonly socketPath: string;

  private constructor(opts: ServerOptions, server: net.Server | undefined, socketPath: string) {
    this.opts = opts;
    this.server = server;
    this.socketPath = socketPath;
    this.url = `unix:${socketPath}`;
    this.buildOnce = new BuildOnce(path.join(opts.dir, 'artifacts'));
    this.rootModule = rootModulePath(opts.root);
    this.shared = opts.shared ?? new SharedState<ConfigState>();
    this.env = opts.env ?? process.env;
  }

  static async listen(opts: ServerOptions): Promise<JobServer> {
    const { server, socketPath } = await listenUnix(opts.dir);
    const js = new JobServer(opts, server, socketPath);
    server.on('connection', (s) => js.accept(s));
    logEvent('server.listen', { url: js.url, root: opts.root });
    return js;
  }

  /** A server whose connections another thread accepts on `socketPath` and hands to `accept`. */
  static detached(opts: ServerOptions, socketPath: string): JobServer {
    const js = new JobServer(opts, undefined, socketPath);
    logEvent('server.listen', { url: js.url, root: opts.root, relayed: true });
    return js;
  }

  statsSnapshot(): StatsResult {
    return structuredClone(this.stats);
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /**
   * Loads and validates the configuration (and warms the pool of `tc`). Throws a ConfigError that
   * names the file, position and aspect. Called by `orchestrion go` before it runs `go`.
   */
  async prepare(tc: Toolchain): Promise<Prepared> {
    this.preparedFor = true;
    const { suffix, inputs, config } = await this.currentConfig(tc);
    return { suffix, inputs, warnings: config.warnings };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const s of this.sockets) s.destroy();
    // Their compiles fail once the server is gone: they would only keep building for nothing.
    for (const c of this.children) c.kill('SIGTERM');
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // A persistent server's pools outlive its builds.
    if (!this.opts.shared) await this.shared.closePools();
    fs.rmSync(this.opts.dir, { recursive: true, force: true });
    logEvent('server.close', { stats: this.stats });
  }

  /** Serves one connection: a Unix socket, or a MessagePort stream from the wrapper (host.ts). */
  accept(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.lastActivity = Date.now();
    });
    socket.on('error', () => socket.destroy());
    serveRequests(
      socket,
      (req) => {
        this.stats.requests[req.method] = (this.stats.requests[req.method] ?? 0) + 1;
        // A compile or link: `-V=full` (when go starts before the suffix is known) and stats are
        // not calls of a build that misses go's cache.
        if (req.method !== 'version.suffix' && req.method !== 'stats' && !this.sawRequest) {
          this.sawRequest = true;
          const pending = this.pendingPrefetch;
          this.pendingPrefetch = undefined;
          if (pending) void this.prefetch(pending);
        }
        return this.handle(req.method, req.params);
      },
      () => {
        this.lastActivity = Date.now();
      },
    );
  }

  private async handle<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    type R = Methods[M]['result'];
    switch (method) {
      case 'version.suffix': {
        const p = params as Methods['version.suffix']['params'];
        try {
          // Before the validation has ended only when `orchestrion go` stops go on its failure: a
          // plain -toolexec build gets the error from `-V=full`, once, as before any compile.
          return { suffix: (await this.currentConfig(toolchainOfTool(p.tool), true, this.preparedFor)).suffix } as R;
        } catch (err) {
          // `orchestrion go` asked for the configuration (prepare) while go started: it reports the
          // error and stops go, whose `-V=full` would otherwise race it with go's own message. The
          // answer never comes; the socket closes with the session.
          if (this.preparedFor) await new Promise<never>(() => {});
          throw err;
        }
      }
      case 'build.start': {
        const p = params as Methods['build.start']['params'];
        // In a child build started for this very package's compile, compiling it again would wait for
        // itself: the injected packages depend on the package they are injected into.
        if (p.chain?.includes(p.importPath)) throw new Error(cycleMessage(p.chain, p.importPath));
        const started = await this.buildOnce.start(p.importPath, p.buildID);
        // `reuse`: another process of the build compiled it, and this caller copies its outputs.
        logEvent('build.start', { importPath: p.importPath, reuse: 'reuse' in started });
        if ('reuse' in started) this.stats.reused++;
        else this.stats.compiles++;
        return started as R;
      }
      case 'build.finish': {
        const p = params as Methods['build.finish']['params'];
        this.buildOnce.finish(p.importPath, p.buildID, p.token, p.error !== undefined ? { error: p.error } : { artifacts: p.artifacts ?? {} });
        return {} as R;
      }
      case 'instrument': {
        const t0 = performance.now();
        try {
          return (await this.instrument(params as InstrumentParams)) as R;
        } finally {
          this.stats.instrumentMs += performance.now() - t0;
        }
      }
      case 'packages.resolve': {
        const t0 = performance.now();
        const archives = await this.resolve(params as ResolveParams);
        const t1 = performance.now();
        const linkDeps = this.linkDepsOf(archives);
        logEvent('resolve.answer', { importPath: (params as ResolveParams).importPath, archives: Object.keys(archives).length, resolveMs: Math.round(t1 - t0), linkDepsMs: Math.round(performance.now() - t1) });
        return { archives, linkDeps } as R;
      }
      case 'stats':
        return this.statsSnapshot() as R;
    }
    throw new Error(`unhandled method ${method}`);
  }

  private pool(tc: Toolchain): Promise<InjectorPool> {
    return this.shared.pool(tc);
  }

  /**
   * What a configuration loaded for this build may be shared under: the module, the environment and
   * the build flags it was loaded with (GOFLAGS and tags decide what orchestrion.tool.go imports).
   */
  private configKey(tc: Toolchain): string {
    return JSON.stringify([this.opts.root, tc.goroot, envIdentity(this.env), this.buildFlags(), this.opts.schema ?? 'off']);
  }

  /** The suffix of the configuration as loaded, else the one the build started with, if any. */
  private async buildSuffix(): Promise<string | undefined> {
    const loading = this.configEarly ?? this.configState;
    if (loading) return (await loading.catch(() => undefined))?.suffix;
    return this.knownSuffixUnused ? this.opts.knownSuffix : undefined;
  }

  /**
   * The loaded configuration; with `recheck`, reloaded when one of its files changed on disk. With
   * `early`, as soon as its suffix is known (its validation may still fail: see configEarly).
   */
  private async currentConfig(tc: Toolchain, recheck = false, early = false): Promise<ConfigState> {
    if (this.configState && recheck) {
      const state = await (this.configEarly ?? this.configState).catch(() => undefined);
      if (!state || state.signature !== signature(state.config.files)) {
        this.configState = undefined;
        this.configEarly = undefined;
      }
    }
    if (!this.configState) {
      // The wrapper's cached suffix stands for the configuration as it was when the build started.
      const known = this.knownSuffixUnused ? this.opts.knownSuffix : undefined;
      this.knownSuffixUnused = false;
      const key = this.configKey(tc);
      const earlier = this.shared.config(key);
      let suffixKnown: (state: ConfigState) => void = () => {};
      const earlyState = new Promise<ConfigState>((resolve) => (suffixKnown = resolve));
      // Another build's configuration serves only when it has the suffix this build was started with
      // (the wrapper's suffix cache vouched for every input of it) and its files are as it read them.
      const state = (async () => {
        const reused = known !== undefined ? await earlier?.catch(() => undefined) : undefined;
        if (reused && reused.suffix === known && reused.signature === signature(reused.config.files)) {
          logEvent('config.reuse', { root: this.opts.root, suffix: known });
          return reused;
        }
        // Other builds share it validated only.
        const loaded = this.loadConfigState(tc, known, suffixKnown);
        this.shared.setConfig(key, loaded);
        return loaded;
      })();
      this.configState = state;
      this.configEarly = Promise.race([earlyState, state]);
      // A failed load is not cached: the user fixes the file and runs the build again.
      state.catch(() => {
        if (this.configState === state) {
          this.configState = undefined;
          this.configEarly = undefined;
        }
      });
      this.configEarly.then((s) => this.publishGate(s)).catch(() => {});
    }
    return early ? this.configEarly! : this.configState;
  }

  /**
   * The validated configuration, for what weaves or resolves. When `orchestrion go` reports a
   * configuration error itself (prepare), a call never gets it: go, already compiling, is stopped
   * before its compiles could print the same error again.
   */
  private async validConfig(tc: Toolchain): Promise<ConfigState> {
    try {
      return await this.currentConfig(tc);
    } catch (err) {
      if (this.preparedFor) await new Promise<never>(() => {});
      throw err;
    }
  }

  /** Writes the configuration's compile gate for bin/orchestrion, when the build has a gate directory. */
  private publishGate(state: ConfigState): void {
    const dir = this.env[GATE_DIR_ENV];
    if (!dir) return;
    try {
      const written = writeGate(
        dir,
        state.config.aspects.map((a) => ({ joinPoint: a.aspect['join-point'], tracerInternal: a.aspect['tracer-internal'] === true })),
      );
      logEvent('gate.write', { dir, written });
    } catch (err) {
      // Without a gate every compile goes through the job server: slower, never wrong.
      logEvent('gate.write-failed', { dir, error: String(err) });
    }
  }

  private async loadConfigState(tc: Toolchain, knownSuffix: string | undefined, suffixKnown: (state: ConfigState) => void): Promise<ConfigState> {
    const t0 = performance.now();
    try {
      return await this.computeConfigState(tc, knownSuffix, suffixKnown);
    } finally {
      this.stats.configMs += performance.now() - t0;
    }
  }

  private async computeConfigState(tc: Toolchain, knownSuffix: string | undefined, suffixKnown: (state: ConfigState) => void): Promise<ConfigState> {
    const since = Date.now();
    const t0 = performance.now();
    const goEnv = { ...this.env, GOFLAGS: stripToolexec(this.env.GOFLAGS) };
    // The pool's workers start (the wasm module compiled, the Go runtime of each instance up) while
    // the configuration's go list runs: go's first compile waits for both on a cold build.
    // A build (not lint or pin -validate) also warms the injector's code up before its first weave.
    if (knownSuffix === undefined) {
      this.pool(tc).then(
        (pool) => (this.opts.schema ?? 'off') === 'off' && pool.warmUp(tc.goroot),
        () => {}, // a pool that cannot start fails the validation below
      );
    }
    const config = await loadConfig(this.opts.root, goEnv, { schema: this.opts.schema ?? 'off' });
    const loadedMs = performance.now() - t0;
    const sig = signature(config.files);
    const orchestrionVersion = orchestrionVersionAt(this.opts.root);
    if (knownSuffix !== undefined) {
      logEvent('config.load', { root: this.opts.root, aspects: config.aspects.length, suffix: knownSuffix, cached: true });
      return { signature: sig, config, orchestrionVersion, suffix: knownSuffix, inputs: config.files };
    }
    // Validation (in the wasm pool) and the injected packages' go list run side by side; the suffix
    // is out once the latter ends (configEarly). A bad aspect is reported before a missing injected
    // package, as when they ran one after the other.
    const validating = (async () => {
      if (config.aspects.length === 0) return;
      const res = await (await this.pool(tc)).validate({ aspects: config.aspects.map((a) => a.aspect) });
      const first = res.errors?.[0];
      if (first) {
        const sa = config.aspects[first.aspectIndex];
        const pos = sa?.positionOf(first.path) ?? { line: 0, column: 0 };
        throw new ConfigError(sa?.file ?? '?', pos.line, pos.column, `aspect ${JSON.stringify(first.aspect)}: ${first.path}: ${first.message}`);
      }
    })();
    // Injected packages are invisible to cmd/go's cache keys: their sources go into the suffix.
    const fingerprinting = injectablesFingerprint(this.opts.root, injectedPaths(config.aspects), goEnv, this.buildFlags());
    validating.catch(() => {}); // awaited below
    let injectables: Awaited<typeof fingerprinting>;
    try {
      injectables = await fingerprinting;
    } catch (err) {
      await validating;
      throw err;
    }
    const fingerprintedMs = performance.now() - t0;
    const suffix = versionSuffix(
      toolVersion(),
      toolBuildID(helpersHash()),
      config.aspects.map((a) => a.aspect),
      injectables.hash,
      orchestrionVersion,
    );
    const inputs = [...config.files, ...injectables.inputs];
    const state: ConfigState = { signature: sig, config, orchestrionVersion, suffix, inputs };
    suffixKnown(state);
    await validating;
    logEvent('config.phases', { loadedMs: Math.round(loadedMs), fingerprintedMs: Math.round(fingerprintedMs), validatedMs: Math.round(performance.now() - t0) });
    logEvent('config.load', { root: this.opts.root, aspects: config.aspects.length, suffix });
    // Only a valid configuration's suffix is kept for later builds.
    if (this.opts.suffixCacheKey) writeSuffix(this.opts.suffixCacheKey, suffix, inputs, since);
    return state;
  }

  private async instrument(p: InstrumentParams): Promise<InstrumentResult> {
    const tc = toolchainOfTool(p.tool);
    const { config, orchestrionVersion } = await this.validConfig(tc);
    // With `explain`, the verdict of every aspect the job server itself rules out.
    const explain = p.explain ? new Explanation(config.aspects) : undefined;
    const none = (): InstrumentResult => ({ files: [], references: [], langLevel: '', errors: [], skipped: true, ...(explain && { explain: explain.verdicts() }) });
    const special = specialCase(p.importPath);
    let aspects = special.mode === 'never' ? [] : config.aspects;
    if (special.mode === 'tracer-internal') aspects = aspects.filter((a) => a.aspect['tracer-internal'] === true);
    if (explain && special.mode !== 'normal') {
      const why = special.mode === 'never' ? `${special.prefix} and the packages under it are never woven` : `${special.prefix} and the packages under it receive only tracer-internal aspects`;
      explain.decideAll(config.aspects, (a) => !aspects.includes(a), 'special-case', () => why);
    }
    if (aspects.length === 0) {
      this.stats.skipped++;
      return none();
    }
    // Package-level pre-filter: import path, package filters, imports the join point needs.
    const importcfg = parseImportConfig(await fs.promises.readFile(p.importcfg, 'utf8'), p.importcfg);
    const pkgCtx: PackageContext = {
      importPath: p.importPath,
      imports: new Set([...importcfg.packageFiles.keys(), ...importcfg.importMap.keys()]),
      rootModule: this.rootModule,
      testMain: p.packageName === 'main' && p.importPath.endsWith('.test') && p.files.some((f) => path.basename(f) === '_testmain.go'),
    };
    const forPackage = aspects.filter((a) => packageMayMatch(a.aspect['join-point'], pkgCtx) !== 'no');
    explain?.decideAll(aspects, (a) => !forPackage.includes(a), 'package', (a) => packageNoReason(a.aspect['join-point'], pkgCtx));
    // File-level pre-filter: directive strings, names, package clauses in the sources.
    let kept: SourcedAspect[] = [];
    let contents: string[] = [];
    if (forPackage.length > 0) {
      contents = await Promise.all(p.files.map((f) => fs.promises.readFile(f, 'utf8')));
      const files = contents.map((content, i) => ({ content, packageName: packageClause(content), name: p.files[i]! }));
      kept = forPackage.filter((a) => files.some((f) => fileMayMatch(a.aspect['join-point'], f) !== 'no'));
      explain?.decideAll(forPackage, (a) => !kept.includes(a), 'file', (a) => filesNoReason(a.aspect['join-point'], files));
    }
    logEvent('instrument.prefilter', { importPath: p.importPath, aspects: aspects.length, afterPackage: forPackage.length, afterFiles: kept.length });
    if (kept.length === 0) {
      this.stats.skipped++;
      return none();
    }
    const key = instrumentCacheKey({
      toolBuildID: toolBuildID(helpersHash()),
      importPath: p.importPath,
      lang: p.lang,
      standardLibrary: p.standardLibrary === true,
      goos: p.goos,
      goarch: p.goarch,
      testMain: pkgCtx.testMain,
      rootModule: this.rootModule,
      orchestrionVersion,
      aspects: kept.map((a) => a.aspect),
      files: p.files.map((f, i) => ({ path: f, content: contents[i]! })),
      importcfg,
      // The injector's verdicts are kept with its answer; what the server decided is not (it
      // depends on aspects outside the key), so it is decided again above on every request.
      explain: explain !== undefined,
    });
    const dirs = sourceDirs(p.files);
    const cached = withConfigFiles(readInstrumentResult(key, dirs) as PoolAnswer | undefined, kept);
    if (cached) {
      this.stats.cached++;
      logEvent('instrument', { importPath: p.importPath, modified: cached.files.map((f) => f.path), cached: true });
      this.noteReferences(cached);
      return explain ? explained(cached, kept, explain) : cached;
    }
    this.stats.instrumented++;
    const answer = await this.instrumentInPool(tc, p, kept, pkgCtx.testMain, orchestrionVersion, explain !== undefined);
    this.noteReferences(answer);
    // The aspects' configuration files are not in the key: kept out of the entry, set on reading.
    writeInstrumentResult(key, dirs, withConfigFiles(answer, []));
    return explain ? explained(answer, kept, explain) : answer;
  }

  /** What woven code references outside the standard library, for referencedElsewhere. */
  private noteReferences(answer: InstrumentResult): void {
    if (answer.files.length === 0) return;
    for (const ref of answer.references) if (ref.path.split('/')[0]!.includes('.')) this.referenced.add(ref.path);
  }

  private async instrumentInPool(tc: Toolchain, p: InstrumentParams, kept: SourcedAspect[], testMain: boolean, orchestrionVersion: string, explain: boolean): Promise<PoolAnswer> {
    const res = await (await this.pool(tc)).instrument({
      importPath: p.importPath,
      goVersion: p.lang,
      goos: p.goos,
      goarch: p.goarch,
      files: p.files,
      importcfg: p.importcfg,
      aspects: kept.map((a) => a.aspect),
      testMain,
      rootModulePath: this.rootModule,
      orchestrionVersion,
      ignoreSpecialCases: true,
      ...(p.standardLibrary && { standardLibrary: true }),
      ...(explain && { explain: true }),
    });
    for (const w of res.warnings ?? []) logEvent('instrument.warning', { importPath: p.importPath, ...w });
    logEvent('instrument', { importPath: p.importPath, modified: (res.files ?? []).map((f) => f.path) });
    return withConfigFiles(
      {
        files: (res.files ?? []).map(({ generated, ...f }) => (generated ? { ...f, generated: generated.map((aspect) => ({ aspect, file: '' })) } : f)),
        references: res.references ?? [],
        langLevel: res.langLevel ?? '',
        errors: res.errors ?? [],
        skipped: false,
        ...(explain && { injectorVerdicts: res.explain ?? [] }),
      },
      kept,
    );
  }

  /**
   * The link.deps member of archives resolve answers listed (null: none), by archiveIdentity: every
   * compile resolving injected packages would otherwise read those of the few hundred archives they bring.
   */
  private readonly carried = new Map<string, string | null>();

  private linkDepsOf(archives: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const archive of new Set(Object.values(archives))) {
      const key = archiveIdentity(archive);
      let text = key === undefined ? undefined : this.carried.get(key);
      if (text === undefined) {
        text = LinkDeps.memberText(archive) ?? null;
        if (this.carried.size >= MAX_CARRIED) this.carried.clear();
        if (key !== undefined) this.carried.set(key, text);
      }
      if (text !== null) out[archive] = text;
    }
    return out;
  }

  private readonly resolutions = new Map<string, Promise<Resolution>>();
  /** Finished resolutions, by resolution key. */
  private readonly settled = new Map<string, Resolution>();
  /** The package sets toolexec calls asked for (not prefetches), by resolution key, in order. */
  private readonly asked = new Map<string, string[]>();
  /** Packages the woven code of this build referenced (its link-time dependencies, outside the standard library). */
  private readonly referenced = new Set<string>();
  private closing = false;
  /** Child builds running; close() kills them, so that none outlives the server. */
  private readonly children = new Set<ResultPromise>();

  /**
   * Resolves packages to archives with a child build (`go list -deps -export`) that goes through
   * orchestrion and this server, with the user's build flags: the packages are instrumented like the
   * rest of the build, and those both builds need are compiled once. Cached for the server's life.
   */
  private resolve(p: ResolveParams): Promise<Record<string, string>> {
    const chain = [...p.chain, p.importPath];
    for (const pkg of p.packages) if (chain.includes(pkg)) throw new Error(cycleMessage(chain, pkg));
    const pkgs = [...new Set(p.packages)].sort();
    const key = pkgs.join('\0');
    if (p.importPath !== PREFETCH && !this.asked.has(key)) this.asked.set(key, pkgs);
    const r = this.resolutions.get(key);
    const covering = !r ? this.covering(pkgs, p.superset === true) : undefined;
    if (covering) {
      logEvent('resolve.covered', { packages: pkgs, by: covering.roots, superset: p.superset === true });
      // Should that resolution fail, or not hold the packages after all, this one runs on its own.
      return covering.archives.then(
        (a) => a ?? this.resolveOwn(p, pkgs, chain, key),
        () => this.resolveOwn(p, pkgs, chain, key),
      );
    }
    if (!r && p.closure) {
      const extra = this.referencedElsewhere(pkgs, chain);
      if (extra.length > 0) return this.resolveWithReferenced(p, pkgs, chain, key, extra);
    }
    return this.resolveOwn(p, pkgs, chain, key, r);
  }

  /** `pkgs` resolved by their own child build (or the one running for the same set). */
  private async resolveOwn(p: ResolveParams, pkgs: string[], chain: string[], key: string, running?: Promise<Resolution>): Promise<Record<string, string>> {
    return (await this.resolution(p, pkgs, chain, key, running)).archives;
  }

  private resolution(p: ResolveParams, pkgs: string[], chain: string[], key: string, running?: Promise<Resolution>): Promise<Resolution> {
    let r = running ?? this.resolutions.get(key);
    if (!r) {
      r = this.resolveShared(pkgs, chain, p.work);
      r.then(
        (res) => this.settled.set(key, res),
        () => this.resolutions.delete(key), // a failure is not cached: the next build retries
      );
      this.resolutions.set(key, r);
    }
    return r;
  }

  /**
   * Packages the build's woven code referenced that no resolution holds or is resolving: what a main
   * package's later rounds would likely ask for (the link-time dependencies of woven packages its
   * injected packages depend on, such as the woven `testing`'s), one child build later each.
   */
  private referencedElsewhere(pkgs: string[], chain: string[]): string[] {
    const running = new Set([...this.resolutions.keys()].flatMap((k) => k.split('\0')));
    const settled = [...this.settled.values()];
    return [...this.referenced]
      .filter((x) => !pkgs.includes(x) && !chain.includes(x) && !running.has(x) && !settled.some((r) => x in r.archives))
      .sort();
  }

  /**
   * `pkgs` answered from one child build of them and `extra` (referencedElsewhere): a later round
   * asking for any of `extra` is then answered by this resolution. Should the larger build fail or
   * not list them, `pkgs` get a child build of their own, which reports its own errors.
   */
  private async resolveWithReferenced(p: ResolveParams, pkgs: string[], chain: string[], key: string, extra: string[]): Promise<Record<string, string>> {
    const roots = [...pkgs, ...extra].sort();
    logEvent('resolve.with-referenced', { packages: pkgs, extra });
    try {
      const answer = answerFrom([await this.resolution(p, roots, chain, roots.join('\0'))], pkgs, PSEUDO);
      if (answer) return answer.archives;
    } catch {
      // below
    }
    return this.resolveOwn(p, pkgs, chain, key);
  }

  /**
   * A resolution an earlier build of a persistent server made for the same packages, suffix, module,
   * flags and environment (the archives its child build listed, all still in GOCACHE), else a child
   * build, whose answer is kept for the next build. The suffix hashes everything the injected
   * packages and their dependencies are built from (config/injectables.ts), so the same key means
   * the same action IDs. Not under -work, where the child's WORK belongs inside the build's.
   */
  private async resolveShared(pkgs: string[], chain: string[], work: string | undefined): Promise<Resolution> {
    const suffix = await this.buildSuffix();
    const context = suffix !== undefined && !this.keepsWork() ? JSON.stringify([suffix, this.opts.root, envIdentity(this.env), this.buildFlags()]) : undefined;
    const earlier = context !== undefined ? this.shared.resolution(context, pkgs, PSEUDO) : undefined;
    if (earlier) {
      logEvent('resolve.reuse', { packages: pkgs, count: Object.keys(earlier.archives).length });
      this.stats.resolutionsReused++;
      return earlier;
    }
    const t0 = performance.now();
    this.stats.childBuilds++;
    try {
      const res = await this.childBuild(pkgs, chain, work);
      if (context !== undefined) this.shared.keepResolution(context, pkgs, res);
      return res;
    } finally {
      this.stats.childBuildMs += performance.now() - t0;
    }
  }

  /**
   * What already answers `pkgs`, without a child build of their own: finished resolutions (main's
   * compile resolves in rounds, each round's link.deps asking for more; a prefetch resolved the
   * set a compile asks for among others), or a running one with them all among its roots.
   *
   * A link (`superset`) also takes an answer some of whose dependencies no resolution lists.
   * A compile gets exactly what its own child build would list (the packages and their Deps, the
   * same archives: one build, one GOCACHE), since the link.deps it records come from them and its
   * archive must not depend on which resolutions ran first. The promise gives undefined when a
   * running resolution turns out not to list them.
   */
  private covering(pkgs: string[], superset: boolean): { roots: string[]; archives: Promise<Record<string, string> | undefined> } | undefined {
    const answer = (resolutions: Resolution[]) => answerFrom(resolutions, pkgs, PSEUDO, superset)?.archives;
    const done = answer([...this.settled.values()]);
    if (done) return { roots: [...this.settled.keys()].flatMap((k) => k.split('\0')), archives: Promise.resolve(done) };
    for (const [key, r] of this.resolutions) {
      const roots = key.split('\0');
      if (pkgs.every((x) => roots.includes(x))) return { roots, archives: r.then((res) => answer([res])) };
    }
    return undefined;
  }

  /**
   * The package sets toolexec calls asked to resolve, in order of first request: what a later build
   * of the same packages will likely ask again (the wrapper keeps them as a hint for `prefetch`).
   */
  resolveRequests(): string[][] {
    return [...this.asked.values()];
  }

  /**
   * Resolves `sets` (an earlier build's `resolveRequests`) one after the other before anyone asks,
   * so that their child builds overlap go's own work: on a CI worker whose every action is in the
   * shared cache, the link's child build was otherwise the last serial step. A set is resolved
   * exactly as the same request would be (same key, same child build), so a wrong guess costs only
   * the work; a failure is not kept, and the real request retries and reports it. Not under -work,
   * where a child's WORK goes inside the requesting build's.
   */
  async prefetch(sets: string[][]): Promise<void> {
    if (this.keepsWork()) return;
    for (const packages of sets) {
      if (this.closing) return;
      logEvent('resolve.prefetch', { packages });
      await this.resolve({ importPath: PREFETCH, chain: [], packages }).catch((err: unknown) => logEvent('resolve.prefetch-failed', { packages, error: String(err) }));
    }
  }

  /**
   * `prefetch(sets)` once the first toolexec request arrives: a build whose every action is cached
   * (a warm no-op) sends none, and pays nothing for the hint.
   */
  prefetchOnFirstCall(sets: string[][]): void {
    if (this.sawRequest) void this.prefetch(sets);
    else this.pendingPrefetch = sets;
  }

  private sawRequest = false;
  private pendingPrefetch: string[][] | undefined;

  /** Whether the user's build keeps its WORK (-work): child builds then keep theirs inside it. */
  private keepsWork(): boolean {
    return parseGoFlags(this.opts.goArgs ?? ['build'], this.env.GOFLAGS ?? '').short.has('work');
  }

  /**
   * Every package the child builds have resolved so far (the packages advice injects, and all they
   * depend on), with its export data: what a build compiles besides the dependencies of the
   * packages it names.
   */
  async resolvedArchives(): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    for (const r of [...this.resolutions.values()]) {
      const res = await r.catch(() => undefined);
      for (const [pkg, archive] of Object.entries(res?.archives ?? {})) all.set(pkg, archive);
    }
    return all;
  }

  /** The user's build flags (GOFLAGS, then the command line) that child `go` commands must share. */
  private buildFlags(): string[] {
    return childBuildArgs(parseGoFlags(this.opts.goArgs ?? ['build'], this.env.GOFLAGS ?? ''));
  }

  private async childBuild(pkgs: string[], chain: string[], work: string | undefined): Promise<Resolution> {
    const bin = this.env.ORCHESTRION_BIN || process.env.ORCHESTRION_BIN || path.join(PROJECT_ROOT, 'bin', 'orchestrion');
    // The chain names the packages being resolved too (marked with INJECTED, so they are not taken
    // for compiles in progress), so that a cycle reads `p -> injected -> p`.
    const childChain = [...chain, INJECTED + pkgs.join(', ')];
    const env: NodeJS.ProcessEnv = { ...this.env, GOFLAGS: stripToolexec(this.env.GOFLAGS), [JOBSERVER_ENV]: this.url, [RESOLVE_CHAIN_ENV]: JSON.stringify(childChain) };
    // Its cacheprog prefetches and records the prefetch index's child part, when the build's
    // wrapper left one in its cacheprog stats directory (src/cacheprog/prefetch.ts).
    env[ROLE_ENV] = 'child';
    // The suffix the build runs with, when known: the child's `-V=full` calls are then answered by
    // bin/orchestrion itself, and a child build whose every action is cached never waits for the
    // configuration to load (a second on a CI worker, measured). Same keys as the parent's.
    const suffix = await this.buildSuffix();
    if (suffix !== undefined) env[VERSION_SUFFIX_ENV] = suffix;
    else delete env[VERSION_SUFFIX_ENV];
    delete env.TOOLEXEC_IMPORTPATH;
    logEvent('resolve.start', { packages: pkgs, chain });
    const t0 = Date.now();
    // Under the user's -work, the child keeps its WORK too, inside the user's: one tree holds every
    // file the build wove (`orchestrion diff`, instrument's tests read it).
    const keepWork = this.keepsWork() ? { workParent: work } : undefined;
    const res = await childBuild(pkgs, {
      flags: this.buildFlags(),
      bin,
      cwd: this.opts.root,
      env,
      keepWork,
      started: (child) => {
        this.children.add(child);
        const gate = this.env[GATE_DIR_ENV];
        if (gate) markChildBuilds(gate, true);
        child
          .finally(() => {
            this.children.delete(child);
            if (gate && this.children.size === 0) markChildBuilds(gate, false);
          })
          .catch(() => {});
      },
    });
    const errors = res.errors.map((e) => `${e.importPath}: ${e.err}`);
    logEvent('resolve.finish', { packages: pkgs, ms: Date.now() - t0, count: res.archives.size, exitCode: res.exitCode, ...(res.work !== undefined && { work: res.work }) });
    if (res.exitCode !== 0 || errors.length > 0 || res.missing.length > 0) {
      // Package errors say most; else the failed compiles' own output; the packages left without an
      // archive (everything downstream of a failure) only when nothing else explains.
      const detail = errors.length > 0 ? errors.join('\n') : res.stderr.trim() || `no archive for ${res.missing.join(', ')}`;
      throw new Error(`resolving injected package${pkgs.length > 1 ? 's' : ''} ${pkgs.map((x) => JSON.stringify(x)).join(', ')}: ${detail}`);
    }
    for (const pkg of pkgs) if (!res.archives.has(pkg)) throw new Error(`resolving ${JSON.stringify(pkg)}: no archive found (go list returned no such package)`);
    return { archives: Object.fromEntries(res.archives), deps: res.deps };
  }
}

/** Marks, in a resolve chain, the packages a child build was started for (no import path starts with it). */
const INJECTED = '+';

/** Names the chain of compiles that led back to `pkg`, and how to break it. */
function cycleMessage(chain: string[], pkg: string): string {
  const loop = [...chain.slice(chain.indexOf(pkg)), pkg].map((x) => (x.startsWith(INJECTED) ? x.slice(INJECTED.length) : x)).join(' -> ');
  return (
    `cycle detected: ${loop} (a package injected into ${JSON.stringify(pkg)} depends on it; ` +
    'reference such a package with //go:linkname and `links:` in inject-declarations instead of importing it)'
  );
}

/** The injector's answer as cached: with `explain`, its verdicts on the aspects sent (by index). */
type PoolAnswer = InstrumentResult & { injectorVerdicts?: WasmAspectVerdict[] };

/** The answer to an `explain` request: the injector's verdicts mapped back onto the configuration. */
/**
 * The answer with the configuration file of each generated block's aspect (for compile errors in
 * generated code) taken from `kept`; with no aspects, cleared, as the instrumentation cache keeps it.
 */
function withConfigFiles<T extends PoolAnswer | undefined>(answer: T, kept: SourcedAspect[]): T {
  if (!answer) return answer;
  const fileOf = new Map(kept.map((a) => [a.aspect.id, a.file]));
  return {
    ...answer,
    files: answer.files.map((f) => (f.generated ? { ...f, generated: f.generated.map(({ aspect }) => ({ aspect, file: fileOf.get(aspect) ?? '' })) } : f)),
  };
}

function explained(answer: PoolAnswer, kept: SourcedAspect[], explain: Explanation): InstrumentResult {
  const { injectorVerdicts, ...result } = answer;
  for (const { aspectIndex, ...rest } of injectorVerdicts ?? []) {
    const a = kept[aspectIndex];
    if (a) explain.decide(a, rest);
  }
  // An aspect the injector said nothing about (it failed before deciding): say so rather than omit it.
  explain.decideAll(kept, () => true, 'syntax', () => 'the injector gave no verdict (see its errors and warnings)');
  return { ...result, explain: explain.verdicts() };
}

/**
 * The verdicts of one `instrument -explain` request, one per aspect of the configuration: each stage
 * decides the aspects it rules out, the first decision stands, and the answer lists them in
 * configuration order.
 */
class Explanation {
  private readonly all: readonly SourcedAspect[];
  private readonly index: Map<SourcedAspect, number>;
  private readonly decided = new Map<SourcedAspect, AspectVerdict>();
  constructor(all: readonly SourcedAspect[]) {
    this.all = all;
    this.index = new Map(all.map((a, i) => [a, i]));
  }

  decide(a: SourcedAspect, v: Pick<AspectVerdict, 'stage' | 'reason' | 'at' | 'matches'>): void {
    if (this.decided.has(a)) return;
    this.decided.set(a, { aspect: a.aspect.id, file: a.file, index: this.index.get(a) ?? -1, ...v });
  }

  decideAll(among: readonly SourcedAspect[], rejected: (a: SourcedAspect) => boolean, stage: ExplainStage, reason: (a: SourcedAspect) => string): void {
    for (const a of among) if (rejected(a) && !this.decided.has(a)) this.decide(a, { stage, reason: reason(a) });
  }

  verdicts(): AspectVerdict[] {
    return this.all.flatMap((a) => this.decided.get(a) ?? []);
  }
}

/** Identity of the configuration files' current state (cheap: one stat each). */
function signature(files: string[]): string {
  return files
    .map((f) => {
      try {
        const s = fs.statSync(f);
        return `${f}:${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${f}:absent`;
      }
    })
    .join('|');
}
