// Configuration loading (config.md §1): the main module's root package is read like any package —
// its `orchestrion.tool.go` imports (each imported package is located with `go list` and loaded
// the same way, recursively) and its `orchestrion.yml` (with `extends`); the import of
// `github.com/DataDog/orchestrion` contributes the built-in aspects. Every YAML file is validated
// against the JSON Schema. Errors name the file, line, column and aspect.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { LineCounter, isMap, isSeq, parseDocument, type Node as YAMLNode, type YAMLMap } from 'yaml';
import type { Aspect } from '../wasm/api.ts';
import { BUILTIN_ASPECTS, BUILTIN_FILE, ORCHESTRION_PKG } from './builtin.ts';
import { schemaErrors } from './schema.ts';
import { toolGoImports } from './toolgo.ts';

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

const TOP_LEVEL_KEYS = new Set(['meta', 'aspects', 'extends']);
const ASPECT_KEYS = new Set(['id', 'join-point', 'advice', 'tracer-internal']);

/** A parsed orchestrion.yml: its own aspects and its extends entries (relative paths, in order). */
export interface ParsedYAML {
  aspects: SourcedAspect[];
  extends: { entry: string; position: { line: number; column: number } }[];
}

export interface LoadOptions {
  /** Validate every YAML document against the JSON Schema (default). `orchestrion pin` without `-validate` does not. */
  schema?: boolean;
}

/** Parses, structure-checks and (unless `schema` is false) schema-validates one orchestrion.yml document. */
export function parseConfigYAML(file: string, text: string, { schema = true }: LoadOptions = {}): ParsedYAML {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const posAt = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (node: YAMLNode | undefined | null, msg: string): never => {
    const { line, column } = posAt(node?.range?.[0] ?? 0);
    throw new ConfigError(file, line, column, msg);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, column } = posAt(e.pos[0]);
    throw new ConfigError(file, line, column, `malformed YAML: ${e.message.split('\n')[0]}`);
  }
  const top = doc.contents;
  if (top === null) return fail(null, 'empty configuration: expected "meta" and "aspects" or "extends"');
  if (!isMap(top)) return fail(top, 'expected a mapping with "meta" and "aspects" or "extends"');
  for (const pair of top.items) {
    const key = String((pair.key as YAMLNode).toJSON());
    if (!TOP_LEVEL_KEYS.has(key)) fail(pair.key as YAMLNode, `unknown top-level key "${key}" (expected meta, aspects, extends)`);
  }
  const aspectsNode = top.get('aspects', true) as YAMLNode | undefined;
  if (aspectsNode !== undefined && !isSeq(aspectsNode)) fail(aspectsNode, '"aspects" must be a sequence');
  const aspectNodes = aspectsNode ? ((aspectsNode as unknown as { items: YAMLNode[] }).items ?? []) : [];
  const idOf = (index: number) => {
    const n = aspectNodes[index];
    const id = isMap(n) ? (n.get('id') as unknown) : undefined;
    return typeof id === 'string' && id !== '' ? id : `#${index}`;
  };
  aspectNodes.forEach((node, index) => {
    if (!isMap(node)) fail(node, `aspects[${index}]: expected a mapping with "id", "join-point" and "advice"`);
    const map = node as unknown as YAMLMap;
    const label = `aspect ${JSON.stringify(idOf(index))}`;
    for (const pair of map.items) {
      const key = String((pair.key as YAMLNode).toJSON());
      if (!ASPECT_KEYS.has(key)) fail(pair.key as YAMLNode, `${label}: unknown key "${key}" (expected id, join-point, advice, tracer-internal)`);
    }
    if (!map.has('join-point')) fail(node, `${label}: missing required key "join-point"`);
    if (!map.has('advice')) fail(node, `${label}: missing required key "advice"`);
    const ti = map.get('tracer-internal', true) as YAMLNode | undefined;
    if (ti !== undefined && typeof ti.toJSON() !== 'boolean') fail(ti, `${label}: "tracer-internal" must be a boolean`);
  });

  // The schema: everything the structure checks above do not say more clearly.
  const json = doc.toJSON() as unknown;
  const problem = schema ? schemaErrors(json)[0] : undefined;
  if (problem) {
    const segs = problem.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const node = nodeAt(top, segs.join('.')) ?? top;
    const aspectLabel = segs[0] === 'aspects' && segs[1] !== undefined ? `aspect ${JSON.stringify(idOf(Number(segs[1])))}: ` : '';
    const where = segs.slice(segs[0] === 'aspects' ? 2 : 0).join('.') || '(top level)';
    fail(node, `${aspectLabel}${where}: ${problem.message}`);
  }

  // The aspects as the whole document converts them: aliases (`template: *shared`) are resolved
  // against the document's anchors, which converting a node on its own cannot do.
  const converted = (json as { aspects?: Aspect[] }).aspects ?? [];
  const aspects = aspectNodes.map((node, index): SourcedAspect => {
    const aspect = converted[index]!;
    if (!Array.isArray(aspect.advice)) aspect.advice = [aspect.advice];
    if (typeof aspect.id !== 'string' || aspect.id === '') aspect.id = idOf(index);
    return { aspect, file, positionOf: (p) => posAt(nodeAt(node, p)?.range?.[0] ?? node.range?.[0] ?? 0) };
  });
  const extendsNode = top.get('extends', true) as YAMLNode | undefined;
  const ext = isSeq(extendsNode)
    ? (extendsNode.items as YAMLNode[]).map((n) => ({ entry: String(n.toJSON()), position: posAt(n.range?.[0] ?? 0) }))
    : [];
  return { aspects, extends: ext };
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
  private readonly loaded = new Set<string>();
  private readonly env: NodeJS.ProcessEnv;
  /** The main module's root: every import, however deep, resolves in its build list (as in Orchestrion). */
  private readonly root: string;
  private readonly options: LoadOptions;
  constructor(env: NodeJS.ProcessEnv, root: string, options: LoadOptions) {
    this.env = env;
    this.root = root;
    this.options = options;
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
    let imports: string[];
    try {
      imports = toolGoImports(src, file);
    } catch (err) {
      throw new ConfigError(file, 0, 0, (err as Error).message.replace(`${file}: `, ''));
    }
    const out: SourcedAspect[] = [];
    const others = imports.filter((p) => p !== ORCHESTRION_PKG);
    const dirs = others.length > 0 ? await this.locate(this.root, others, file) : new Map<string, string>();
    for (const imp of imports) {
      if (imp === ORCHESTRION_PKG) {
        out.push(...builtinAspects());
        continue;
      }
      try {
        out.push(...(await this.packageDir(dirs.get(imp)!)));
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(file, 0, 0, `in "${imp}" imported from "${file}": ${(err as Error).message}`);
      }
    }
    return out;
  }

  /**
   * Directories of packages, resolved in the module of `cwd` (one `go list` per tool file). A
   * package whose only files are excluded by build constraints (such as dd-trace-go's
   * `orchestrion/all/v2`, a lone `//go:build tools` file) still has a directory, as in Orchestrion.
   */
  private async locate(cwd: string, pkgs: string[], from: string): Promise<Map<string, string>> {
    const format = '{{.ImportPath}}\t{{.Dir}}\t{{if .Error}}{{if or .GoFiles (not .IgnoredGoFiles)}}{{.Error}}{{end}}{{end}}';
    const r = await execa('go', ['list', '-e', '-f', format, '--', ...pkgs], {
      cwd,
      env: this.env,
      reject: false,
    });
    if (r.exitCode !== 0) throw new ConfigError(from, 0, 0, `go list ${pkgs.join(' ')}: ${r.stderr.trim()}`);
    const dirs = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      if (line === '') continue;
      const [imp, dir, err] = line.split('\t');
      if (err || !dir) throw new ConfigError(from, 0, 0, `in "${imp}" imported from "${from}": ${err || 'package not found'}`);
      dirs.set(imp!, dir);
    }
    for (const p of pkgs) if (!dirs.has(p)) throw new ConfigError(from, 0, 0, `in "${p}" imported from "${from}": go list found no package`);
    return dirs;
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
  return { root, aspects, files: [...loader.files] };
}

/**
 * The aspects one package directory contributes (its tool file's imports, then its orchestrion.yml),
 * every import resolved in the module rooted at `root`.
 */
export async function loadPackageConfig(root: string, dir: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Promise<SourcedAspect[]> {
  return new Loader(env, root, options).packageDir(dir);
}
