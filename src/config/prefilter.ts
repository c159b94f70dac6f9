// Pre-filters: decide in TypeScript, before any wasm call, that an aspect cannot match a package or
// a file (config.md §2.1 and §6). Three-valued and sound: "no" only when the join point certainly
// cannot match, so results are the same whether or not a filter fires. A package for which every
// aspect answers "no" never reaches the worker pool.
//
// "all" is the package's (or file's) own property: every node in it matches (import-path,
// package-filter, test-main; package-name in a file). Only it lets `not` rule a package out, as in
// dd-trace-go's `all-of: [not: {import-path: net/http}, …]`, which otherwise kept every file of
// net/http that calls something named Get. "yes" says only that something may match.
export type May = 'all' | 'yes' | 'no' | 'maybe';

export interface PackageContext {
  /** TOOLEXEC_IMPORTPATH of the compile. */
  importPath: string;
  /** Import paths the package can import: the importcfg's packagefile and importmap keys. */
  imports: ReadonlySet<string>;
  /** Module path of the main module ("" when unknown: root filters then never match). */
  rootModule: string;
  /** The compile is the generated test main of a test binary. */
  testMain: boolean;
}

export interface FileContext {
  content: string;
  /** The file's package clause name. */
  packageName: string;
}

function and(xs: Iterable<May>): May {
  let every = true; // all of them 'all'
  let some = true; // all of them 'all' or 'yes'
  for (const x of xs) {
    if (x === 'no') return 'no';
    if (x !== 'all') every = false;
    if (x !== 'all' && x !== 'yes') some = false;
  }
  return every ? 'all' : some ? 'yes' : 'maybe';
}
function or(xs: Iterable<May>): May {
  let allNo = true;
  let any = false;
  let yes = false;
  for (const x of xs) {
    any = true;
    if (x === 'all') return 'all';
    if (x === 'yes') yes = true;
    if (x !== 'no') allNo = false;
  }
  return yes ? 'yes' : any && allNo ? 'no' : 'maybe';
}
/** For join points that match only some nodes (functions, their bodies): never "all". */
function some(x: May): May {
  return x === 'all' ? 'yes' : x;
}
/** Nothing matches → everything does, and the other way round; otherwise nothing is known. */
function not(x: May): May {
  return x === 'no' ? 'all' : x === 'all' ? 'no' : 'maybe';
}

/** A type reference as join points write it: `*net/http.Request`, `error`, `gopkg.in/yaml.v3.Node`. */
export function parseTypeName(s: string): { pointer: boolean; path: string; name: string } | undefined {
  const m = /^(\*)?\s*(?:([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*)\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(s);
  return m ? { pointer: m[1] !== undefined, path: m[2] ?? '', name: m[3]! } : undefined;
}

function imports(ctx: PackageContext, path: string): May {
  if (path === '') return 'maybe';
  return path === ctx.importPath || ctx.imports.has(path) ? 'yes' : 'no';
}
function typeImports(ctx: PackageContext, t: unknown): May {
  return typeof t === 'string' ? imports(ctx, parseTypeName(t)?.path ?? '') : 'maybe';
}
function contains(content: string, needle: unknown): May {
  // Orchestrion's substring test answers "no" for an empty needle; mirror it.
  if (typeof needle !== 'string') return 'maybe';
  return needle !== '' && content.includes(needle) ? 'yes' : 'no';
}
/** `path.Name` of declaration-of / function-call, split at the last dot. */
function symbol(s: unknown): { path: string; name: string } | undefined {
  if (typeof s !== 'string') return undefined;
  const dot = s.lastIndexOf('.');
  return dot < 0 ? { path: '', name: s } : { path: s.slice(0, dot), name: s.slice(dot + 1) };
}

function singleton(jp: unknown): [string, unknown] | undefined {
  if (typeof jp !== 'object' || jp === null || Array.isArray(jp)) return undefined;
  const keys = Object.keys(jp);
  return keys.length === 1 ? [keys[0]!, (jp as Record<string, unknown>)[keys[0]!]] : undefined;
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Whether the join point may match something in a package. */
export function packageMayMatch(jp: unknown, ctx: PackageContext): May {
  const s = singleton(jp);
  if (!s) return 'maybe';
  const [kind, arg] = s;
  switch (kind) {
    case 'all-of':
      return Array.isArray(arg) ? and(arg.map((j) => packageMayMatch(j, ctx))) : 'maybe';
    case 'one-of':
      return Array.isArray(arg) ? or(arg.map((j) => packageMayMatch(j, ctx))) : 'maybe';
    case 'not':
      return not(packageMayMatch(arg, ctx));
    case 'function-body':
      return some(packageMayMatch(arg, ctx));
    case 'function':
      return some(and(list(arg).map((o) => functionOption(o, (k, v) => functionOptionPackage(k, v, ctx)))));
    case 'declaration-of':
    case 'function-call': {
      const sym = symbol(arg);
      return sym ? imports(ctx, sym.path) : 'maybe';
    }
    case 'method-call': {
      const recv = (arg as { receiver?: unknown } | null)?.receiver;
      return typeImports(ctx, recv);
    }
    case 'import-path':
      return typeof arg === 'string' ? (arg === ctx.importPath ? 'all' : 'no') : 'maybe';
    case 'package-filter':
      return packageFilter(arg, ctx);
    case 'struct-definition': {
      const t = typeof arg === 'string' ? parseTypeName(arg) : undefined;
      return t ? (t.path === ctx.importPath ? 'yes' : 'no') : 'maybe';
    }
    case 'struct-literal':
      return typeImports(ctx, (arg as { type?: unknown } | null)?.type);
    case 'value-declaration':
      return typeImports(ctx, arg);
    case 'test-main':
      return typeof arg === 'boolean' ? (arg === ctx.testMain ? 'all' : 'no') : 'maybe';
    default:
      // directive, package-name, configuration, and anything unknown.
      return 'maybe';
  }
}

/** Whether the join point may match something in one file. */
export function fileMayMatch(jp: unknown, file: FileContext): May {
  const s = singleton(jp);
  if (!s) return 'maybe';
  const [kind, arg] = s;
  switch (kind) {
    case 'all-of':
      return Array.isArray(arg) ? and(arg.map((j) => fileMayMatch(j, file))) : 'maybe';
    case 'one-of':
      return Array.isArray(arg) ? or(arg.map((j) => fileMayMatch(j, file))) : 'maybe';
    case 'not':
      return not(fileMayMatch(arg, file));
    case 'function-body':
      return some(fileMayMatch(arg, file));
    case 'function':
      return some(and(list(arg).map((o) => functionOption(o, (k, v) => functionOptionFile(k, v, file)))));
    case 'directive':
      return typeof arg === 'string' ? contains(file.content, `//${arg}`) : 'maybe';
    case 'declaration-of':
    case 'function-call': {
      const sym = symbol(arg);
      return sym ? contains(file.content, sym.name) : 'maybe';
    }
    case 'method-call':
      return contains(file.content, (arg as { name?: unknown } | null)?.name);
    case 'package-name':
      return typeof arg === 'string' ? (arg === file.packageName ? 'all' : 'no') : 'maybe';
    case 'struct-definition':
      return contains(file.content, 'struct');
    default:
      return 'maybe';
  }
}

function functionOption(opt: unknown, f: (kind: string, value: unknown) => May): May {
  const s = singleton(opt);
  return s ? f(s[0], s[1]) : 'maybe';
}
function functionOptionPackage(kind: string, v: unknown, ctx: PackageContext): May {
  switch (kind) {
    case 'receiver': {
      // A receiver type must be defined in the package itself (a bool receiver option says nothing).
      const t = typeof v === 'string' ? parseTypeName(v) : undefined;
      return t ? (t.path === ctx.importPath ? 'yes' : 'no') : 'maybe';
    }
    case 'signature':
    case 'signature-contains': {
      const sig = v as { args?: unknown; returns?: unknown } | null;
      const types = [...list(sig?.args ?? []), ...list(sig?.returns ?? [])];
      return some(and(types.map((t) => typeImports(ctx, t))));
    }
    default:
      return 'maybe';
  }
}
function functionOptionFile(kind: string, v: unknown, file: FileContext): May {
  switch (kind) {
    case 'name':
      return contains(file.content, v);
    case 'receiver': {
      const t = typeof v === 'string' ? parseTypeName(v) : undefined;
      return t ? contains(file.content, t.name) : 'maybe';
    }
    default:
      return 'maybe';
  }
}

function packageFilter(arg: unknown, ctx: PackageContext): May {
  let root = false;
  let pattern = '';
  if (typeof arg === 'string') pattern = arg;
  else if (typeof arg === 'object' && arg !== null) {
    const o = arg as { root?: unknown; pattern?: unknown };
    if (typeof o.root === 'boolean') root = o.root;
    if (typeof o.pattern === 'string') pattern = o.pattern;
  } else return 'maybe';
  return matchesPackageFilter(ctx.importPath, root, pattern, ctx.rootModule) ? 'all' : 'no';
}

/** package-filter matching (config.md §2.2): root-module relative paths and `**` globs. */
export function matchesPackageFilter(importPath: string, root: boolean, pattern: string, rootModule: string): boolean {
  if (importPath === '') return false;
  const inRoot = rootModule !== '' && (importPath === rootModule || importPath.startsWith(rootModule + '/'));
  if (root && pattern === '') return inRoot;
  if (pattern === '') return false;
  let target = importPath;
  if (root) {
    if (!inRoot) return false;
    target = importPath === rootModule ? '.' : importPath.slice(rootModule.length + 1);
  }
  if (pattern === '*' || pattern === '**') return true;
  if (!pattern.includes('**')) return globSegment(pattern, target);
  const pats = pattern.split('/').flatMap(expandDoubleStar);
  return matchSegments(pats, target.split('/'));
}

/** `a**` → `a*`,`**`; `**a` → `**`,`*a`; `a**b` → `a*`,`**`,`*b`. */
function expandDoubleStar(seg: string): string[] {
  const i = seg.indexOf('**');
  if (i < 0 || seg === '**') return [seg];
  const before = seg.slice(0, i);
  const after = seg.slice(i + 2);
  return [...(before ? [`${before}*`] : []), '**', ...(after ? expandDoubleStar(`*${after}`) : [])];
}

function matchSegments(pats: string[], segs: string[]): boolean {
  if (pats.length === 0) return segs.length === 0;
  const [p, ...rest] = pats;
  if (p === '**') {
    if (rest.length === 0) return true;
    for (let i = 0; i <= segs.length; i++) if (matchSegments(rest, segs.slice(i))) return true;
    return false;
  }
  return segs.length > 0 && globSegment(p!, segs[0]!) && matchSegments(rest, segs.slice(1));
}

/** Go's path.Match: `*` and `?` do not cross `/`, `[…]` classes with `^` negation and ranges, `\` escapes. A bad pattern matches nothing. */
export function globSegment(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (++i >= pattern.length) return false;
      re += escapeRe(pattern[i]!);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') return false;
      re += `[${negate ? '^/' : ''}${body.replace(/[\]\\]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(re + '$', 'u').test(name);
  } catch {
    return false;
  }
}
function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The package clause of a Go file ("" when none is found). */
export function packageClause(content: string): string {
  // Skip comments before the clause; the clause is the first `package <ident>` at the start of a line.
  const m = /^\s*package\s+([\p{L}_][\p{L}\p{N}_]*)/mu.exec(content.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''));
  return m?.[1] ?? '';
}

/**
 * Import paths a package certainly imports when the join point matches in it (Orchestrion's
 * ImpliesImported): an aspect's advice importing one of them adds nothing the build lacks, so
 * such paths are not injectables (an aspect for go-elasticsearch v7 must not make every build
 * resolve go-elasticsearch v7). all-of: union; one-of: paths every branch implies.
 */
export function impliedImports(jp: unknown): Set<string> {
  const out = new Set<string>();
  const s = singleton(jp);
  if (!s) return out;
  const [kind, arg] = s;
  const addType = (t: unknown) => {
    const p = typeof t === 'string' ? parseTypeName(t)?.path : undefined;
    if (p) out.add(p);
  };
  switch (kind) {
    case 'all-of':
      if (Array.isArray(arg)) for (const j of arg) for (const p of impliedImports(j)) out.add(p);
      break;
    case 'one-of':
      if (Array.isArray(arg) && arg.length > 0) {
        const sets = arg.map(impliedImports);
        for (const p of sets[0]!) if (sets.every((set) => set.has(p))) out.add(p);
      }
      break;
    case 'function-body':
      return impliedImports(arg);
    case 'function':
      for (const o of list(arg)) {
        const opt = singleton(o);
        if (!opt) continue;
        if (opt[0] === 'receiver') addType(opt[1]);
        else if (opt[0] === 'signature' || opt[0] === 'signature-contains') {
          const sig = opt[1] as { args?: unknown; returns?: unknown } | null;
          for (const t of [...list(sig?.args ?? []), ...list(sig?.returns ?? [])]) addType(t);
        } else if (opt[0] === 'argument-implements' && typeof opt[1] === 'string') {
          const sym = symbol(opt[1].replace(/\[.*$/, ''));
          if (sym?.path) out.add(sym.path);
        }
      }
      break;
    case 'declaration-of':
    case 'function-call': {
      const sym = symbol(arg);
      if (sym?.path) out.add(sym.path);
      break;
    }
    case 'import-path':
      if (typeof arg === 'string' && arg !== '') out.add(arg);
      break;
    case 'method-call':
      addType((arg as { receiver?: unknown } | null)?.receiver);
      break;
    case 'struct-literal':
      addType((arg as { type?: unknown } | null)?.type);
      break;
    case 'struct-definition':
    case 'value-declaration':
      addType(arg);
      break;
  }
  return out;
}

// Explaining a "no" (`orchestrion instrument -explain`). These run only when explain is asked, after
// packageMayMatch / fileMayMatch answered "no": they re-evaluate the parts of the join point with the
// same functions to find the one that decided, and say what was needed. The normal path is unchanged.

/** Why packageMayMatch answered "no" (call only then). */
export function packageNoReason(jp: unknown, ctx: PackageContext): string {
  const s = singleton(jp);
  if (!s) return 'the join point cannot match this package';
  const [kind, arg] = s;
  const notImported = (p: string) => `does not import ${p}`;
  switch (kind) {
    case 'all-of':
      return firstNo(arg, (j) => packageMayMatch(j, ctx) === 'no', (j) => packageNoReason(j, ctx));
    case 'one-of':
      return neither(list(arg).map((j) => packageNoReason(j, ctx)), 'does not import ', 'imports neither ');
    case 'function-body':
      return packageNoReason(arg, ctx);
    case 'function':
      return firstNo(
        arg,
        (o) => functionOption(o, (k, v) => functionOptionPackage(k, v, ctx)) === 'no',
        (o) => {
          const [k, v] = singleton(o)!;
          if (k === 'receiver') return `the receiver type ${String(v)} is defined in ${parseTypeName(String(v))?.path}, not in ${ctx.importPath}`;
          const sig = v as { args?: unknown; returns?: unknown } | null;
          const types = [...list(sig?.args ?? []), ...list(sig?.returns ?? [])];
          const missing = types.find((t) => typeImports(ctx, t) === 'no');
          return `${notImported(parseTypeName(String(missing))?.path ?? String(missing))} (${k} names ${String(missing)})`;
        },
      );
    case 'declaration-of':
    case 'function-call':
      return notImported(symbol(arg)!.path);
    case 'method-call':
      return notImported(parseTypeName(String((arg as { receiver?: unknown }).receiver))!.path);
    case 'struct-literal':
      return notImported(parseTypeName(String((arg as { type?: unknown }).type))!.path);
    case 'value-declaration':
      return notImported(parseTypeName(String(arg))!.path);
    case 'import-path':
      return `not the import path ${String(arg)}`;
    case 'struct-definition':
      return `the struct ${String(arg)} is defined in ${parseTypeName(String(arg))?.path}, not in ${ctx.importPath}`;
    case 'package-filter':
      return `package-filter ${JSON.stringify(arg)} does not match ${ctx.importPath}`;
    case 'test-main':
      return arg ? 'not the generated test main package' : 'the generated test main package';
    case 'not':
      return `it excludes all of ${ctx.importPath}: ${packageAllReason(arg, ctx)}`;
  }
  return `${kind} cannot match this package`;
}

/** Why packageMayMatch answered "all" (call only then). */
function packageAllReason(jp: unknown, ctx: PackageContext): string {
  const s = singleton(jp);
  if (!s) return 'the join point matches every node';
  const [kind, arg] = s;
  switch (kind) {
    case 'import-path':
      return `the import path is ${String(arg)}`;
    case 'package-filter':
      return `package-filter ${JSON.stringify(arg)} matches ${ctx.importPath}`;
    case 'test-main':
      return arg ? 'the generated test main package' : 'not the generated test main package';
    case 'not':
      return `nothing in it can match: ${packageNoReason(arg, ctx)}`;
    case 'all-of':
      return list(arg).map((j) => packageAllReason(j, ctx)).join(', and ');
    case 'one-of': {
      const hit = list(arg).find((j) => packageMayMatch(j, ctx) === 'all');
      return hit === undefined ? 'one of its conditions matches every node' : packageAllReason(hit, ctx);
    }
  }
  return `${kind} matches every node`;
}

/** A file to explain: its context and its name. */
export interface NamedFile extends FileContext {
  name: string;
}

/** Why fileMayMatch answered "no" for every file (call only then). */
export function filesNoReason(jp: unknown, files: readonly NamedFile[]): string {
  const never = (j: unknown) => files.every((f) => fileMayMatch(j, f) === 'no');
  const s = singleton(jp);
  if (!s) return 'the join point cannot match any file';
  const [kind, arg] = s;
  const names = (v: unknown) => `no file contains the name ${String(v)}`;
  switch (kind) {
    case 'all-of':
      if (Array.isArray(arg) && arg.some(never)) return filesNoReason(arg.find(never), files);
      // Each file fails on another condition.
      return files.map((f) => `${baseName(f.name)}: ${filesNoReason(arg, [f])}`).join('; ');
    case 'one-of':
      return neither(list(arg).map((j) => filesNoReason(j, files)), 'no file contains ', 'no file contains either ');
    case 'function-body':
      return filesNoReason(arg, files);
    case 'function': {
      const opts = list(arg);
      const optNever = (o: unknown) => files.every((f) => functionOption(o, (k, v) => functionOptionFile(k, v, f)) === 'no');
      const o = opts.find(optNever);
      if (o === undefined) return files.map((f) => `${baseName(f.name)}: ${filesNoReason(jp, [f])}`).join('; ');
      const [k, v] = singleton(o)!;
      return k === 'name' ? `no file contains the function name ${String(v)}` : `no file contains the receiver type name ${parseTypeName(String(v))?.name}`;
    }
    case 'directive':
      return `no file contains the directive //${String(arg)}`;
    case 'declaration-of':
    case 'function-call':
      return names(symbol(arg)?.name);
    case 'method-call':
      return `no file contains the method name ${String((arg as { name?: unknown }).name)}`;
    case 'package-name':
      return `no file is in package ${String(arg)} (package ${[...new Set(files.map((f) => f.packageName))].join(', ')})`;
    case 'struct-definition':
      return 'no file contains the word struct';
    case 'not': {
      const inner = singleton(arg);
      if (inner?.[0] === 'package-name') return `every file is in package ${String(inner[1])}`;
      return 'the negated join point matches every node of every file';
    }
  }
  return `${kind} cannot match any file`;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function firstNo(arg: unknown, isNo: (x: unknown) => boolean, reason: (x: unknown) => string): string {
  const hit = list(arg).find(isNo);
  return hit === undefined ? 'no condition can hold' : reason(hit);
}

/** "does not import a", "does not import b" → "imports neither a nor b"; other reasons joined with "and". */
function neither(reasons: string[], prefix: string, joined: string): string {
  if (reasons.length > 1 && reasons.every((r) => r.startsWith(prefix))) {
    return joined + reasons.map((r) => r.slice(prefix.length)).join(' nor ');
  }
  return reasons.join(', and ');
}

/**
 * What a compile must show for an aspect to have any chance on it, in a form bin/orchestrion can
 * check without starting Node (src/jobserver/fastpath.ts): one of `needles` in one of the compile's
 * Go files or in its importcfg, or its TOOLEXEC_IMPORTPATH among `paths`, or, with `testMain`, the
 * import path of a test main (`*.test`), or, with `mainPackage`, a compile that may be of a package
 * named main (`-p main`, or a `-p` other than the import path: test copies, plugins). 'always'
 * when no such test is known. Sound with respect to
 * the pre-filters above: when an aspect's gate is closed, packageMayMatch answers "no", or
 * fileMayMatch answers "no" for every file (test/fastpath.test.ts).
 */
export type Gate = 'always' | { needles: Set<string>; paths: Set<string>; testMain: boolean; mainPackage: boolean };

/** Each join point has two gates: one for what packageMayMatch checks, one for fileMayMatch. */
interface Gates {
  pkg: Gate;
  file: Gate;
}

const closed = (): Exclude<Gate, 'always'> => ({ needles: new Set(), paths: new Set(), testMain: false, mainPackage: false });
const ALWAYS: Gates = { pkg: 'always', file: 'always' };
/** fileMayMatch's substring test (an empty needle never matches). */
const needle = (s: unknown): Gate => (typeof s !== 'string' ? 'always' : s === '' ? closed() : { ...closed(), needles: new Set([s]) });
/** The compile's import path is `p`. */
const onPath = (p: string): Gate => ({ ...closed(), paths: new Set([p]) });
/** packageMayMatch's `imports`: the package is `p` or has `p` among its importcfg's keys. */
const importsGate = (p: string): Gate => (p === '' ? 'always' : { ...closed(), needles: new Set([`packagefile ${p}=`, `importmap ${p}=`]), paths: new Set([p]) });
const typeGate = (t: unknown): Gate => (typeof t === 'string' ? importsGate(parseTypeName(t)?.path ?? '') : 'always');
/**
 * How often a gate may let a compile through: an identifier (`New`) is in many files, an importcfg
 * key in the importers of one package (net/http's: dozens), a path in one compile; test mains and
 * main packages are rare. dd-trace-go's aspect on ten of its own packages' `net/http.Transport`
 * literals is gated by their paths, not by every importer of net/http.
 */
function weight(g: Gate): number {
  if (g === 'always') return Infinity;
  let w = g.paths.size + (g.testMain ? 1 : 0) + (g.mainPackage ? 1 : 0);
  for (const n of g.needles) w += n.startsWith('packagefile ') || n.startsWith('importmap ') ? 10 : 100;
  return w;
}
/** A conjunction: any one part's gate is sound; the narrowest is kept. */
const narrowest = (gs: Gate[]): Gate => gs.reduce<Gate>((best, g) => (weight(g) < weight(best) ? g : best), 'always');
/** A disjunction: the union of the parts' gates. */
function union(gs: Gate[]): Gate {
  const out = closed();
  for (const g of gs) {
    if (g === 'always') return 'always';
    for (const n of g.needles) out.needles.add(n);
    for (const p of g.paths) out.paths.add(p);
    out.testMain ||= g.testMain;
    out.mainPackage ||= g.mainPackage;
  }
  return out;
}
const allOf = (gs: Gates[]): Gates => ({ pkg: narrowest(gs.map((g) => g.pkg)), file: narrowest(gs.map((g) => g.file)) });
const oneOf = (gs: Gates[]): Gates => ({ pkg: union(gs.map((g) => g.pkg)), file: union(gs.map((g) => g.file)) });

/** The gate of an aspect's join point: the narrower of its package and file gates. */
export function compileGate(jp: unknown): Gate {
  const g = gates(jp);
  return narrowest([g.pkg, g.file]);
}

/** The gate of a whole configuration: the union of its aspects' gates. */
export function configurationGate(jps: unknown[]): Gate {
  return union(jps.map(compileGate));
}

function gates(jp: unknown): Gates {
  const s = singleton(jp);
  if (!s) return ALWAYS;
  const [kind, arg] = s;
  switch (kind) {
    case 'all-of':
      return Array.isArray(arg) ? allOf(arg.map(gates)) : ALWAYS;
    case 'one-of':
      return Array.isArray(arg) ? oneOf(arg.map(gates)) : ALWAYS;
    case 'function-body':
      return gates(arg);
    case 'function':
      return allOf(list(arg).map(functionGates));
    case 'directive':
      return { pkg: 'always', file: typeof arg === 'string' ? needle(`//${arg}`) : 'always' };
    case 'declaration-of':
    case 'function-call': {
      const sym = symbol(arg);
      return sym ? { pkg: importsGate(sym.path), file: needle(sym.name) } : ALWAYS;
    }
    case 'method-call': {
      const o = arg as { receiver?: unknown; name?: unknown } | null;
      return { pkg: typeGate(o?.receiver), file: needle(o?.name) };
    }
    case 'import-path':
      return { pkg: typeof arg === 'string' ? onPath(arg) : 'always', file: 'always' };
    case 'struct-definition': {
      const t = typeof arg === 'string' ? parseTypeName(arg) : undefined;
      return { pkg: t ? onPath(t.path) : 'always', file: needle('struct') };
    }
    case 'struct-literal':
      return { pkg: typeGate((arg as { type?: unknown } | null)?.type), file: 'always' };
    case 'value-declaration':
      return { pkg: typeGate(arg), file: 'always' };
    case 'package-name':
      // cmd/go compiles a package named main with `-p main`, but its test copies and plugins with
      // another -p: those differ from their import path. A file without a package clause has the
      // name "": no needle stands for it.
      if (arg === 'main') return { pkg: 'always', file: { ...closed(), mainPackage: true } };
      return { pkg: 'always', file: typeof arg === 'string' && arg !== '' ? needle(arg) : 'always' };
    case 'test-main':
      return { pkg: arg === true ? { ...closed(), testMain: true } : 'always', file: 'always' };
    default:
      // not, package-filter, configuration, and anything unknown.
      return ALWAYS;
  }
}

function functionGates(opt: unknown): Gates {
  const s = singleton(opt);
  if (!s) return ALWAYS;
  const [kind, v] = s;
  switch (kind) {
    case 'name':
      return { pkg: 'always', file: needle(v) };
    case 'receiver': {
      const t = typeof v === 'string' ? parseTypeName(v) : undefined;
      return t ? { pkg: onPath(t.path), file: needle(t.name) } : ALWAYS;
    }
    case 'signature':
    case 'signature-contains': {
      const sig = v as { args?: unknown; returns?: unknown } | null;
      return { pkg: narrowest([...list(sig?.args ?? []), ...list(sig?.returns ?? [])].map(typeGate)), file: 'always' };
    }
    default:
      return ALWAYS;
  }
}
