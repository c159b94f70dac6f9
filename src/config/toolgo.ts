// Reads the import specs of an `orchestrion.tool.go` file, with the position of each import path
// (what go reports an import at). Every import counts (blank, named or plain), as in Orchestrion;
// build tags are not evaluated because the file is read directly.

/** An import of the tool file: its path, and where its path literal starts (1-based; column in bytes, as Go counts). */
export interface ToolImport {
  path: string;
  line: number;
  column: number;
}

/** A tool file whose imports cannot be read, at the offending spec. */
export class ToolGoSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * Blanks out comments, keeping string literals intact and every other character where it was (a
 * comment's newlines stay, so offsets, lines and columns are those of the source).
 */
function blankComments(src: string): string {
  let out = '';
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      let j = i;
      while (j < src.length && src[j] !== '\n') j++;
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const j = end < 0 ? src.length : end + 2;
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += c === '"' && src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Line and byte column (1-based) of a string offset. */
function position(src: string, offset: number): { line: number; column: number } {
  const before = src.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: Buffer.byteLength(before.slice(nl + 1)) + 1 };
}

export function toolGoImportSpecs(src: string, file: string): ToolImport[] {
  const code = blankComments(src);
  const imports: ToolImport[] = [];
  const spec = /^(\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+|[._]\s+)?)("(?:[^"\\]|\\.)*"|`[^`]*`)\s*;?\s*$/u;
  /** One spec, `s`, found at `offset` of the source. */
  const take = (s: string, offset: number) => {
    const m = spec.exec(s);
    if (!m) {
      const at = position(src, offset + (s.length - s.trimStart().length));
      throw new ToolGoSyntaxError(file, at.line, at.column, `cannot read import spec ${JSON.stringify(s.trim())}`);
    }
    const literal = m[2]!;
    imports.push({ path: literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal) as string), ...position(src, offset + m[1]!.length) });
  };
  const re = /\bimport\s*(\(([^)]*)\)|[^\n;]*)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const body = m[1]!;
    const bodyAt = m.index + m[0].length - body.length;
    if (m[2] !== undefined) {
      const inner = /[^\n;]+/g;
      for (let l = inner.exec(m[2]); l; l = inner.exec(m[2])) if (l[0].trim() !== '') take(l[0], bodyAt + 1 + l.index);
    } else {
      take(body, bodyAt);
    }
  }
  return imports;
}

/** The import paths of a tool file, in order. */
export function toolGoImports(src: string, file: string): string[] {
  return toolGoImportSpecs(src, file).map((i) => i.path);
}
