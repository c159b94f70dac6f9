// Configuration loading (config.md §1): the main module's root package is read like any package —
// its `orchestrion.tool.go` imports (each imported package is located with `go list` and loaded
// the same way, recursively) and its `orchestrion.yml` (with `extends`); the import of
// `github.com/DataDog/orchestrion` contributes the built-in aspects. Every YAML file is validated
// against the JSON Schema. Errors name the file, line, column and aspect.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Node as YAMLNode, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Aspect } from '../wasm/api.ts';
import { BUILTIN_ASPECTS, BUILTIN_FILE, ORCHESTRION_PKG } from './builtin.ts';
import { schemaErrors } from './schema.ts';
import { jsonStream } from './injectables.ts';
import { ModuleResolver, type ResolverEnv } from './modresolve.ts';
import { ToolGoSyntaxError, toolGoImportSpecs, type ToolImport } from './toolgo.ts';

export const CONFIG_YML = 'orchestrion.yml';
export const TOOL_GO = 'orchestrion.tool.go';

/** An aspect with where it was written, so later errors (template parse, …) can point at it. */
export interface SourcedAspect {
  aspect: Aspect;
  file: string;
  /** Position of a path inside the aspect (`join-point.function-body`, `advice[0].…`), or of the aspect itself. */
  positionOf(pathInAspect: string): { line: number; column: number };
}

export interface LoadedConfig {
  /** The module root directory the configuration was loaded from. */
  root: string;
  aspects: SourcedAspect[];
  /** Every file the configuration depends on (for change detection): tool files, YAML files, go.mod, go.sum. */
  files: string[];
  /** Schema-only problems, when loaded with `schema: 'warn'`. */
  warnings: string[];
}

export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, message: string) {
    super(line > 0 ? `${file}:${line}:${column}: ${message}` : `${file}: ${message}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** A parsed orchestrion.yml: its own aspects and its extends entries (relative paths, in order). */
export interface ParsedYAML {
  aspects: SourcedAspect[];
  extends: { entry: string; position: { line: number; column: number } }[];
}

/**
 * When the JSON Schema is applied: `off` at build time (Orchestrion's compile-time loader never
 * runs it: only what its decoders check is an error), `warn` for `lint` (schema-only problems are
 * reported beside a valid configuration), `error` for `pin -validate`.
 */
export type SchemaMode = 'off' | 'warn' | 'error';

export interface LoadOptions {
  /** Default `off`: the build's loader. */
  schema?: SchemaMode;
  /** Receives schema-only problems under `warn`, as `file:line:col: message`. */
  warn?: (warning: string) => void;
  /** How imports are located: from go.mod where that is certain, else `go list` (`auto`, the default); or always `go list`. */
  locate?: 'auto' | 'go-list';
}

/**
 * Parses and decodes one orchestrion.yml document with the rules of Orchestrion's YAML decoders
 * (goccy/go-yaml into its structs, no strict mode): unknown keys are ignored, `meta` is optional,
 * scalars convert to strings, a null value counts as absent; what does not decode (a scalar where
 * a mapping or sequence belongs, an aspect without `join-point` or `advice`, a non-boolean
 * `tracer-internal`, duplicate keys) is an error. Join points and advice are decoded by the injector.
 */
export function parseConfigYAML(file: string, text: string, { schema = 'off', warn }: LoadOptions = {}): ParsedYAML {
  const lc = new LineCounter();
  // Every document of the stream must parse; only the first is decoded (as goccy's Decoder does).
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const posAt = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (node: YAMLNode | undefined | null, msg: string): never => {
    const { line, column } = posAt(node?.range?.[0] ?? 0);
    throw new ConfigError(file, line, column, msg);
  };
  for (const d of Array.isArray(docs) ? docs : []) {
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      const { line, column } = posAt(e.pos[0]);
      throw new ConfigError(file, line, column, `malformed YAML: ${e.message.split('\n')[0]}`);
    }
  }
  const top = doc?.contents ?? null;
  if (top === null || isNull(top)) return fail(null, 'empty configuration: expected "aspects" or "extends"');
  if (!isMap(top)) return fail(top, 'expected a mapping with "meta" and "aspects" or "extends"');
  const present = (n: YAMLNode | undefined): n is YAMLNode => n !== undefined && !isNull(n);
  const meta = top.get('meta', true) as YAMLNode | undefined;
  if (present(meta)) {
    if (!isMap(meta)) fail(meta, `"meta" must be a mapping, not ${kindOf(meta)}`);
    for (const pair of (meta as YAMLMap).items) {
      const v = pair.value as YAMLNode | null;
      if (v && !isScalar(v)) fail(v, `meta.${String((pair.key as YAMLNode).toJSON())}: expected a string, not ${kindOf(v)}`);
    }
  }
  const extendsNode = top.get('extends', true) as YAMLNode | undefined;
  if (present(extendsNode)) {
    if (!isSeq(extendsNode)) fail(extendsNode, `"extends" must be a sequence of paths, not ${kindOf(extendsNode)}`);
    for (const n of (extendsNode as YAMLSeq).items as YAMLNode[]) if (!isScalar(n)) fail(n, `extends: expected a path, not ${kindOf(n)}`);
  }
  const aspectsNode = top.get('aspects', true) as YAMLNode | undefined;
  if (present(aspectsNode) && !isSeq(aspectsNode)) fail(aspectsNode, `"aspects" must be a sequence, not ${kindOf(aspectsNode)}`);
  const aspectNodes = present(aspectsNode) ? ((aspectsNode as YAMLSeq).items as YAMLNode[]) : [];
  const idOf = (index: number) => {
    const n = aspectNodes[index];
    const id = isMap(n) ? (n.get('id') as unknown) : undefined;
    return id !== undefined && id !== null && typeof id !== 'object' && String(id) !== '' ? String(id) : `#${index}`;
  };
  aspectNodes.forEach((node, index) => {
    if (!isMap(node)) fail(node, `aspects[${index}]: expected a mapping with "id", "join-point" and "advice", not ${kindOf(node)}`);
    const map = node as unknown as YAMLMap;
    const label = `aspect ${JSON.stringify(idOf(index))}`;
    const id = map.get('id', true) as YAMLNode | undefined;
    if (present(id) && !isScalar(id)) fail(id, `${label}: "id" must be a string, not ${kindOf(id)}`);
    if (!present(map.get('join-point', true) as YAMLNode | undefined)) fail(node, `${label}: missing required key "join-point"`);
    if (!present(map.get('advice', true) as YAMLNode | undefined)) fail(node, `${label}: missing required key "advice"`);
    const ti = map.get('tracer-internal', true) as YAMLNode | undefined;
    if (present(ti) && typeof ti.toJSON() !== 'boolean') fail(ti, `${label}: "tracer-internal" must be a boolean (true or false)`);
    const merged = mergeInSingleton(map.get('join-point', true) as YAMLNode, 'join-point') ?? mergeInAdvice(map.get('advice', true) as YAMLNode);
    if (merged) fail(merged.node, `${label}: ${merged.path}: a merge key (<<) where a mapping of exactly one key is expected (Orchestrion's decoder reads it as the key "")`);
  });

  // The schema (lint, pin -validate): what Orchestrion's documentation requires beyond its decoders.
  const json = doc!.toJSON() as Record<string, unknown>;
  if (schema !== 'off') {
    const problem = schemaErrors(json)[0];
    if (problem) {
      const segs = problem.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
      const container = nodeAt(top, segs.join('.')) ?? top;
      // An unknown key is pointed at itself, not at the mapping holding it.
      const keyNode = problem.unknownKey !== undefined && isMap(container) ? (container.items.find((p) => String((p.key as YAMLNode).toJSON()) === problem.unknownKey)?.key as YAMLNode | undefined) : undefined;
      const node = keyNode ?? container;
      const aspectLabel = segs[0] === 'aspects' && segs[1] !== undefined ? `aspect ${JSON.stringify(idOf(Number(segs[1])))}: ` : '';
      const where = segs.slice(segs[0] === 'aspects' ? 2 : 0).join('.') || (aspectLabel !== '' && keyNode ? '' : '(top level)');
      const message = `${aspectLabel}${where === '' ? '' : `${where}: `}${problem.message}`;
      if (schema === 'error' || !warn) return fail(node, message);
      const { line, column } = posAt(node.range?.[0] ?? 0);
      warn(`${file}:${line}:${column}: ${message} (JSON Schema; the build accepts it)`);
    }
  }

  // The aspects as the whole document converts them: aliases (`template: *shared`) are resolved
  // against the document's anchors, which converting a node on its own cannot do.
  const converted = (json.aspects as Aspect[] | null | undefined) ?? [];
  const aspects = aspectNodes.map((node, index): SourcedAspect => {
    const raw = converted[index]!;
    // Keys the decoders ignore are left out: they mean nothing, and must not change the suffix.
    const advice = numbersAsStrings(raw.advice);
    const aspect: Aspect = { id: idOf(index), 'join-point': numbersAsStrings(raw['join-point']), advice: Array.isArray(advice) ? advice : [advice] };
    if (raw['tracer-internal'] === true) aspect['tracer-internal'] = true;
    return { aspect, file, positionOf: (p) => posAt(nodeAt(node, p)?.range?.[0] ?? node.range?.[0] ?? 0) };
  });
  const ext = present(extendsNode)
    ? ((extendsNode as YAMLSeq).items as YAMLNode[]).filter((n) => !isNull(n)).map((n) => ({ entry: String(n.toJSON()), position: posAt(n.range?.[0] ?? 0) }))
    : [];
  return { aspects, extends: ext };
}

/** Join point kinds whose value is itself a join point, or a sequence of them (or of function options). */
const NESTED_JOIN_POINTS: Record<string, 'one' | 'many' | 'options'> = { not: 'one', 'function-body': 'one', 'all-of': 'many', 'one-of': 'many', function: 'options' };

/**
 * A `<<` merge key where Orchestrion's decoder expects a singleton mapping (a join point, an advice,
 * a function option): it takes the mapping's only key as written, so `<<` is an unknown kind there,
 * while merges inside an advice's own mapping work. Found before merging, which would hide it.
 */
function mergeInSingleton(node: YAMLNode | undefined, where: string): { node: YAMLNode; path: string } | undefined {
  if (!isMap(node)) return undefined;
  const merge = node.items.find((p) => isMergeKey(p.key));
  if (merge) return { node: merge.key as YAMLNode, path: where };
  if (node.items.length !== 1) return undefined;
  const [pair] = node.items;
  const kind = String((pair!.key as YAMLNode).toJSON());
  const value = pair!.value as YAMLNode | null;
  const nested = NESTED_JOIN_POINTS[kind];
  if (!nested || !value) return undefined;
  if (nested === 'one') return mergeInSingleton(value, `${where}.${kind}`);
  if (!isSeq(value)) return undefined;
  for (const [i, item] of (value.items as YAMLNode[]).entries()) {
    const found = mergeInSingleton(item, `${where}.${kind}[${i}]`);
    if (found) return found;
  }
  return undefined;
}

/** A `<<` key (the parser, merging, gives it a symbol value). */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function mergeInAdvice(node: YAMLNode | undefined): { node: YAMLNode; path: string } | undefined {
  if (!isSeq(node)) return mergeInSingleton(node, 'advice');
  for (const [i, item] of (node.items as YAMLNode[]).entries()) {
    const found = isMap(item) && item.items.find((p) => isMergeKey(p.key));
    if (found) return { node: found.key as YAMLNode, path: `advice[${i}]` };
  }
  return undefined;
}

/**
 * Numbers as the strings Orchestrion's decoder makes of them: no join point or advice field is
 * numeric, and goccy/go-yaml decodes a number into a string field as its text (`package-name: 5`).
 */
function numbersAsStrings(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(numbersAsStrings);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, numbersAsStrings(x)]));
  return v;
}

function isNull(n: YAMLNode): boolean {
  return isScalar(n) && n.value === null;
}

function kindOf(n: YAMLNode): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a sequence';
  if (isScalar(n)) return typeof n.value === 'string' ? `the string ${JSON.stringify(n.value)}` : `${JSON.stringify(n.value)}`;
  return 'a value of another kind';
}

/** Finds the node at a path as the injector writes it (`join-point.function-body`, `advice[0].prepend-statements.template`). */
function nodeAt(from: YAMLNode, where: string): YAMLNode | undefined {
  let cur: YAMLNode | undefined = from;
  for (const seg of where.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '')) {
    if (isMap(cur)) {
      const next = cur.get(seg, true) as YAMLNode | undefined;
      if (next === undefined) return cur;
      cur = next;
    } else if (isSeq(cur)) {
      const next = cur.get(Number(seg), true) as YAMLNode | undefined;
      if (next === undefined) return cur;
      cur = next;
    } else {
      return cur;
    }
  }
  return cur;
}

const builtinAspects = (): SourcedAspect[] =>
  BUILTIN_ASPECTS.map((aspect) => ({ aspect: structuredClone(aspect), file: BUILTIN_FILE, positionOf: () => ({ line: 0, column: 0 }) }));

/** One loading of a configuration tree; files reached twice contribute at their first position (config.md §1.5). */
class Loader {
  readonly files = new Set<string>();
  readonly warnings: string[] = [];
  private readonly loaded = new Set<string>();
  private readonly env: NodeJS.ProcessEnv;
  /** The main module's root: every import, however deep, resolves in its build list (as in Orchestrion). */
  private readonly root: string;
  private readonly options: LoadOptions;
  constructor(env: NodeJS.ProcessEnv, root: string, options: LoadOptions) {
    this.env = env;
    this.root = root;
    this.options = { ...options, warn: (w) => this.warnings.push(w) };
  }

  /** Aspects of a package directory: its tool file's imports first, then its own orchestrion.yml. */
  async packageDir(dir: string): Promise<SourcedAspect[]> {
    const out: SourcedAspect[] = [];
    const toolGo = path.join(dir, TOOL_GO);
    this.files.add(toolGo);
    const src = readOptional(toolGo);
    if (src !== undefined && this.markLoaded(toolGo)) out.push(...(await this.toolImports(toolGo, src)));
    const yml = path.join(dir, CONFIG_YML);
    this.files.add(yml);
    const text = readOptional(yml);
    if (text !== undefined && this.markLoaded(yml)) out.push(...(await this.yamlFile(yml, text)));
    return out;
  }

  private async toolImports(file: string, src: string): Promise<SourcedAspect[]> {
    let imports: ToolImport[];
    try {
      imports = toolGoImportSpecs(src, file);
    } catch (err) {
      if (err instanceof ToolGoSyntaxError) throw new ConfigError(file, err.line, err.column, err.reason);
      throw err;
    }
    const out: SourcedAspect[] = [];
    const others = imports.filter((i) => i.path !== ORCHESTRION_PKG);
    const dirs = others.length > 0 ? await this.locate(this.root, others, file) : new Map<string, string>();
    for (const imp of imports) {
      if (imp.path === ORCHESTRION_PKG) {
        out.push(...builtinAspects());
        continue;
      }
      try {
        out.push(...(await this.packageDir(dirs.get(imp.path)!)));
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(file, imp.line, imp.column, `import ${JSON.stringify(imp.path)}: ${(err as Error).message}`);
      }
    }
    return out;
  }

  /**
   * Directories of the imports of the tool file `from`, resolved in the module of `cwd` (one `go
   * list` per tool file). A package whose only files are excluded by build constraints (such as
   * dd-trace-go's `orchestrion/all/v2`, a lone `//go:build tools` file) still has a directory, as in
   * Orchestrion. An import that does not resolve is reported at its import spec, with go's whole
   * message (its advice, such as the `go get` line to run, included).
   */
  private async locate(cwd: string, imports: ToolImport[], from: string): Promise<Map<string, string>> {
    const pkgs = [...new Set(imports.map((i) => i.path))];
    const resolver = await this.resolver();
    if (resolver) {
      const dirs = new Map(pkgs.map((p) => [p, resolver.dir(p)]));
      if ([...dirs.values()].every((d) => d !== undefined)) return dirs as Map<string, string>;
    }
    const r = await execa('go', ['list', '-e', '-json=ImportPath,Dir,GoFiles,IgnoredGoFiles,Error', '--', ...pkgs], {
      cwd,
      env: this.env,
      reject: false,
    });
    const at = (imp: string) => imports.find((i) => i.path === imp) ?? { line: 0, column: 0 };
    const fail = (imp: string, why: string) => {
      const { line, column } = at(imp);
      return new ConfigError(from, line, column, `import ${JSON.stringify(imp)}: ${why}`);
    };
    if (r.exitCode !== 0) throw new ConfigError(from, 0, 0, `go list ${pkgs.join(' ')}: ${String(r.stderr ?? '').trim() || r.message}`);
    const dirs = new Map<string, string>();
    for (const raw of jsonStream(r.stdout)) {
      const pkg = raw as { ImportPath: string; Dir?: string; GoFiles?: string[]; IgnoredGoFiles?: string[]; Error?: { Err: string } };
      // A package with only ignored files reports "build constraints exclude all Go files": not an error here.
      const excludedOnly = (pkg.GoFiles?.length ?? 0) === 0 && (pkg.IgnoredGoFiles?.length ?? 0) > 0;
      if ((pkg.Error && !excludedOnly) || !pkg.Dir) throw fail(pkg.ImportPath, pkg.Error?.Err.trim() || 'package not found');
      dirs.set(pkg.ImportPath, pkg.Dir);
    }
    for (const p of pkgs) if (!dirs.has(p)) throw fail(p, 'go list found no package');
    return dirs;
  }

  private resolving: Promise<ModuleResolver | undefined> | undefined;

  /** The go.mod resolver for the main module, when go's environment allows one (one `go env`). */
  private resolver(): Promise<ModuleResolver | undefined> {
    if (this.options.locate === 'go-list') return Promise.resolve(undefined);
    this.resolving ??= execa('go', ['env', '-json', 'GOMOD', 'GOWORK', 'GOFLAGS', 'GOMODCACHE'], { cwd: this.root, env: this.env, reject: false }).then((r) => {
      if (r.exitCode !== 0) return undefined;
      let goenv: ResolverEnv;
      try {
        goenv = JSON.parse(r.stdout) as ResolverEnv;
      } catch {
        return undefined;
      }
      const created = ModuleResolver.create(this.root, goenv);
      return typeof created === 'string' ? undefined : created;
    });
    return this.resolving;
  }

  private async yamlFile(file: string, text: string): Promise<SourcedAspect[]> {
    const parsed = parseConfigYAML(file, text, this.options);
    const out: SourcedAspect[] = [];
    for (const { entry, position } of parsed.extends) {
      const target = path.join(path.dirname(file), entry);
      let st: fs.Stats;
      try {
        st = fs.statSync(target);
      } catch {
        throw new ConfigError(file, position.line, position.column, `extends: ${JSON.stringify(entry)}: no such file or directory (${target})`);
      }
      if (st.isDirectory()) {
        out.push(...(await this.packageDir(target)));
      } else {
        this.files.add(target);
        if (this.markLoaded(target)) out.push(...(await this.yamlFile(target, fs.readFileSync(target, 'utf8'))));
      }
    }
    out.push(...parsed.aspects);
    return out;
  }

  private markLoaded(file: string): boolean {
    const abs = path.resolve(file);
    if (this.loaded.has(abs)) return false;
    this.loaded.add(abs);
    return true;
  }
}

function readOptional(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Loads the configuration of the module rooted at `root`. A root with neither file has no aspects. */
export async function loadConfig(root: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Promise<LoadedConfig> {
  const loader = new Loader(env, root, options);
  const aspects = await loader.packageDir(root);
  loader.files.add(path.join(root, 'go.mod'));
  loader.files.add(path.join(root, 'go.sum'));
  return { root, aspects, files: [...loader.files], warnings: loader.warnings };
}

/**
 * The aspects one package directory contributes (its tool file's imports, then its orchestrion.yml),
 * every import resolved in the module rooted at `root`.
 */
export async function loadPackageConfig(root: string, dir: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Promise<SourcedAspect[]> {
  return new Loader(env, root, options).packageDir(dir);
}
