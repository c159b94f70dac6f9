// Configuration loading (v0): the `orchestrion.yml` in the main module's root package, next to
// `orchestrion.tool.go`. Errors are reported as `file:line:col: message`, naming the aspect.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node as YAMLNode } from 'yaml';
import type { Aspect } from '../wasm/api.ts';

export const CONFIG_YML = 'orchestrion.yml';
export const TOOL_GO = 'orchestrion.tool.go';

/** An aspect with where it was written, so later errors (template parse, …) can point at it. */
export interface SourcedAspect {
  aspect: Aspect;
  file: string;
  /** Position of a path inside the aspect (`join-point.function-body`), or of the aspect itself. */
  positionOf(pathInAspect: string): { line: number; column: number };
}

export interface LoadedConfig {
  /** The module root directory the configuration was loaded from. */
  root: string;
  aspects: SourcedAspect[];
  /** Every file whose content the configuration depends on (for change detection and fingerprints). */
  files: string[];
}

export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

const TOP_LEVEL_KEYS = new Set(['meta', 'aspects', 'extends']);
const ASPECT_KEYS = new Set(['id', 'join-point', 'advice', 'tracer-internal']);

/** Loads the configuration of the module rooted at `root`. A root with no orchestrion.yml has no aspects. */
export function loadConfig(root: string): LoadedConfig {
  const file = path.join(root, CONFIG_YML);
  const files = [file, path.join(root, TOOL_GO)];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { root, aspects: [], files };
    throw err;
  }
  return { root, aspects: parseConfigYAML(file, text), files };
}

/** Parses and checks the structure of one orchestrion.yml document. */
export function parseConfigYAML(file: string, text: string): SourcedAspect[] {
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
  if (top === null) return [];
  if (!isMap(top)) return fail(top, 'expected a mapping with "aspects" (and optionally "meta", "extends")');
  for (const pair of top.items) {
    const key = String((pair.key as YAMLNode & { value?: unknown })?.toJSON?.() ?? pair.key);
    if (!TOP_LEVEL_KEYS.has(key)) fail(pair.key as YAMLNode, `unknown top-level key "${key}" (expected meta, aspects, extends)`);
    if (key === 'extends') fail(pair.key as YAMLNode, '"extends" is not supported yet');
  }
  const aspectsNode = top.get('aspects', true) as YAMLNode | undefined;
  if (aspectsNode === undefined) return [];
  if (!isSeq(aspectsNode)) return fail(aspectsNode, '"aspects" must be a sequence');
  const out: SourcedAspect[] = [];
  aspectsNode.items.forEach((item, index) => {
    const node = item as YAMLNode;
    if (!isMap(node)) fail(node, `aspects[${index}]: expected a mapping with "id", "join-point" and "advice"`);
    const map = node as unknown as import('yaml').YAMLMap;
    const idNode = map.get('id', true) as YAMLNode | undefined;
    const id = idNode === undefined ? `#${index}` : (idNode.toJSON() as unknown);
    const label = `aspect ${JSON.stringify(id)}`;
    if (typeof id !== 'string' || id === '') fail(idNode ?? node, `aspects[${index}]: "id" must be a non-empty string`);
    for (const pair of map.items) {
      const key = String((pair.key as YAMLNode).toJSON());
      if (!ASPECT_KEYS.has(key)) fail(pair.key as YAMLNode, `${label}: unknown key "${key}" (expected id, join-point, advice, tracer-internal)`);
    }
    if (!map.has('join-point')) fail(node, `${label}: missing required key "join-point"`);
    if (!map.has('advice')) fail(node, `${label}: missing required key "advice"`);
    const ti = map.get('tracer-internal', true) as YAMLNode | undefined;
    if (ti !== undefined && typeof ti.toJSON() !== 'boolean') fail(ti, `${label}: "tracer-internal" must be a boolean`);
    const json = node.toJSON() as Aspect;
    if (!Array.isArray(json.advice)) json.advice = [json.advice];
    out.push({
      aspect: json,
      file,
      positionOf: (p) => posAt(nodeAt(doc, node, p)?.range?.[0] ?? node.range?.[0] ?? 0),
    });
  });
  return out;
}

/** Finds the node at a path as the injector writes it (`join-point.function-body`, `advice[0].prepend-statements.template`). */
function nodeAt(_doc: Document, aspectNode: YAMLNode, where: string): YAMLNode | undefined {
  let cur: YAMLNode | undefined = aspectNode;
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
