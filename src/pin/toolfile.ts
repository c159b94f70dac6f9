// The `orchestrion.tool.go` file as `orchestrion pin` edits it: its leading comments (build tag,
// `//go:generate` directive), package clause, import declarations and blank imports, and whatever
// follows them, kept as written. The file is read after gofmt (so the layout is canonical: one
// import spec a line, comments on their own lines or trailing a spec), edited as a small model, and
// printed back through gofmt, which also aligns trailing comments and sorts each group of imports,
// as Orchestrion's printer does.

/** The `//go:generate` directive pin maintains; one that starts with it is replaced. */
export const GENERATE_PREFIX = '//go:generate go run github.com/DataDog/orchestrion pin';

/** The file pin starts from when there is none. */
export const DEFAULT_TOOL_FILE = [
  '// This file was created by `orchestrion pin`, and is used to ensure the',
  '// `go.mod` file contains the necessary entries to ensure repeatable builds when',
  '// using `orchestrion`. It is also used to set up which integrations are enabled.',
  '',
  '//go:build tools',
  '',
  'package tools',
  '',
].join('\n');

/** Documents the import declaration pin adds to a file that has none. */
const IMPORTS_DOC = [
  '// Imports in this file determine which tracer integrations are enabled in',
  '// orchestrion. New integrations can be automatically discovered by running',
  '// `orchestrion pin` again. You can also manually add new imports here to',
  '// enable additional integrations. When doing so, you can run `orchestrion pin`',
  '// to make sure manually added integrations are valid (i.e, the imported package',
  '// includes a valid `orchestrion.yml` file).',
];

export interface ImportSpec {
  /** Raw text between the previous line of the declaration and this spec's line: blank lines, comments. */
  lead: string;
  name?: string;
  path: string;
  /** The literal as written (a `"…"` or raw string). */
  literal: string;
  /** Comment after the spec on its line (`// integration`). */
  end?: string;
}

interface ImportDecl {
  /** Raw text between the previous declaration (or the package clause) and the `import` keyword's line. */
  lead: string;
  parens: boolean;
  /** Comment on the `import (` line. */
  openEnd?: string;
  specs: ImportSpec[];
  /** Raw text between the last spec and `)`. */
  tail: string;
  /** Comment after `)`. */
  closeEnd?: string;
}

interface Token {
  kind: 'ident' | 'string' | 'comment' | 'punct';
  text: string;
  start: number;
  end: number;
}

const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;

/** Go tokens, as far as the tool file needs them: comments, strings, identifiers, punctuation. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const push = (kind: Token['kind'], start: number, end: number) => out.push({ kind, text: src.slice(start, end), start, end });
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      const end = nl < 0 ? src.length : nl;
      push('comment', i, end);
      i = end;
    } else if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      const end = close < 0 ? src.length : close + 2;
      push('comment', i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      push('string', i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const end = close < 0 ? src.length : close + 1;
      push('string', i, end);
      i = end;
    } else {
      IDENT.lastIndex = i;
      const m = IDENT.exec(src);
      const end = m ? i + m[0].length : i + 1;
      push(m ? 'ident' : 'punct', i, end);
      i = end;
    }
  }
  return out;
}

function unquote(literal: string): string {
  return literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal) as string);
}

/** A top-level comment line that is pin's directive. */
function isGenerateDirective(line: string): boolean {
  return line === GENERATE_PREFIX || line.startsWith(GENERATE_PREFIX + ' ');
}

export class ToolFile {
  private header: string;
  private readonly packageLine: string;
  private readonly decls: ImportDecl[];
  private rest: string;

  private constructor(header: string, packageLine: string, decls: ImportDecl[], rest: string) {
    this.header = header;
    this.packageLine = packageLine;
    this.decls = decls;
    this.rest = rest;
  }

  /** Reads gofmt-formatted source (`file` names it in errors). */
  static parse(src: string, file: string): ToolFile {
    const toks = tokenize(src);
    const lineStart = (pos: number) => src.lastIndexOf('\n', pos - 1) + 1;
    const nextLine = (pos: number) => {
      const nl = src.indexOf('\n', pos);
      return nl < 0 ? src.length : nl + 1;
    };
    /** The next token that is not a comment, from `pos` on. */
    const significant = (pos: number): Token | undefined => toks.find((t) => t.start >= pos && t.kind !== 'comment');
    /** Comments after `pos` on the same line (a block comment may run on), and where that line ends. */
    const trailing = (pos: number): { text?: string; next: number } => {
      let end = pos;
      let i = toks.findIndex((t) => t.start >= pos);
      while (i >= 0 && i < toks.length && (toks[i]!.kind === 'comment' || toks[i]!.text === ';') && !src.slice(end, toks[i]!.start).includes('\n')) {
        end = toks[i]!.end;
        i++;
      }
      const text = src.slice(pos, end).trim().replace(/^;\s*/, '');
      return { text: text === '' ? undefined : text, next: nextLine(end) };
    };
    const expected = (what: string, t: Token | undefined): never => {
      throw new Error(`${file}: expected ${what}, found '${t ? t.text : 'EOF'}'`);
    };

    const pkg = significant(0);
    if (pkg?.text !== 'package') expected("'package'", pkg);
    const name = significant(pkg!.end);
    if (name?.kind !== 'ident') expected('package name', name);
    const header = src.slice(0, lineStart(pkg!.start));
    const packageEnd = trailing(name!.end);
    const packageLine = src.slice(lineStart(pkg!.start), packageEnd.next).replace(/\n$/, '');

    const readSpec = (first: Token): { spec: Omit<ImportSpec, 'lead'>; next: number } => {
      let t: Token | undefined = first;
      let specName: string | undefined;
      if (t.kind !== 'string') {
        specName = t.text;
        t = significant(t.end);
      }
      if (t?.kind !== 'string') return expected('import path', t);
      const end = trailing(t.end);
      return { spec: { name: specName, path: unquote(t.text), literal: t.text, end: end.text }, next: end.next };
    };

    const decls: ImportDecl[] = [];
    let pos = packageEnd.next;
    for (;;) {
      const kw = significant(pos);
      if (kw?.text !== 'import') break;
      const lead = src.slice(pos, lineStart(kw.start));
      const open = significant(kw.end);
      if (open?.text !== '(') {
        const { spec, next } = readSpec(open ?? expected('import spec', open));
        decls.push({ lead, parens: false, specs: [{ lead: '', ...spec }], tail: '' });
        pos = next;
        continue;
      }
      const openEnd = trailing(open.end);
      const decl: ImportDecl = { lead, parens: true, openEnd: openEnd.text, specs: [], tail: '' };
      let cur = openEnd.next;
      for (;;) {
        const t = significant(cur);
        if (!t) return expected("')'", t);
        if (t.text === ')') {
          decl.tail = src.slice(cur, lineStart(t.start));
          const closeEnd = trailing(t.end);
          decl.closeEnd = closeEnd.text;
          pos = closeEnd.next;
          break;
        }
        const { spec, next } = readSpec(t);
        decl.specs.push({ lead: src.slice(cur, lineStart(t.start)), ...spec });
        cur = next;
      }
      decls.push(decl);
    }
    return new ToolFile(header, packageLine, decls, src.slice(pos));
  }

  /** The source, before gofmt. */
  print(): string {
    const specLine = (s: ImportSpec) => `${s.name ? `${s.name} ` : ''}${s.literal}${s.end ? ` ${s.end}` : ''}`;
    let out = this.header + this.packageLine + '\n';
    for (const d of this.decls) {
      out += d.lead;
      if (!d.parens && d.specs.length === 1) {
        out += `import ${specLine(d.specs[0]!)}\n`;
        continue;
      }
      out += `import (${d.openEnd ? ` ${d.openEnd}` : ''}\n`;
      for (const s of d.specs) out += `${s.lead}\t${specLine(s)}\n`;
      out += `${d.tail})${d.closeEnd ? ` ${d.closeEnd}` : ''}\n`;
    }
    return out + this.rest;
  }

  /** Import paths, in file order. */
  imports(): string[] {
    return this.decls.flatMap((d) => d.specs.map((s) => s.path));
  }

  find(path: string): ImportSpec | undefined {
    for (const d of this.decls) for (const s of d.specs) if (s.path === path) return s;
    return undefined;
  }

  /**
   * Adds a blank import of `path` at the end of the first import declaration (one is created, with
   * its explanatory comment, when the file has none). An existing import is returned as it is.
   */
  add(path: string): { spec: ImportSpec; isNew: boolean } {
    const found = this.find(path);
    if (found) return { spec: found, isNew: false };
    if (this.decls.length === 0) {
      this.decls.push({ lead: `\n${IMPORTS_DOC.join('\n')}\n`, parens: true, specs: [], tail: '' });
      // A blank line after the new declaration, before what follows it.
      if (this.rest.trim() !== '' && !this.rest.startsWith('\n')) this.rest = `\n${this.rest}`;
    }
    const decl = this.decls[0]!;
    decl.parens = true;
    const spec: ImportSpec = { lead: '', name: '_', path, literal: JSON.stringify(path) };
    decl.specs.push(spec);
    return { spec, isNew: true };
  }

  /** Removes every import of `path`, with its comments. */
  remove(path: string): boolean {
    let removed = false;
    for (const d of this.decls) {
      const kept = d.specs.filter((s) => s.path !== path);
      removed ||= kept.length !== d.specs.length;
      d.specs = kept;
    }
    return removed;
  }

  /**
   * Sets pin's `//go:generate` directive: every top-level comment line that is one is replaced (or
   * removed when `directive` is empty); with none, it is added after the file's leading comments.
   */
  setGenerateDirective(directive: string): void {
    let found = false;
    const rewrite = (text: string) =>
      text.replace(/^(.*)\n/gm, (line, content: string) => {
        if (!isGenerateDirective(content)) return line;
        found = true;
        return directive === '' ? '' : `${directive}\n`;
      });
    this.header = rewrite(this.header);
    for (const d of this.decls) d.lead = rewrite(d.lead);
    this.rest = rewrite(this.rest);
    if (found || directive === '') return;
    const leading = this.header.replace(/\n+$/, '\n');
    this.header = `${leading.trim() === '' ? '' : `${leading}\n`}${directive}\n\n`;
  }
}

/** The directive for pin's options (Orchestrion's form: `-generate`, then the non-default flags). */
export function generateDirective(opts: { generate: boolean; prune: boolean; validate: boolean }): string {
  if (!opts.generate) return '';
  return `${GENERATE_PREFIX} -generate${opts.prune ? '' : ' -prune=false'}${opts.validate ? ' -validate' : ''}`;
}
