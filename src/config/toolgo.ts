// Reads the import paths of an `orchestrion.tool.go` file. Every import counts (blank, named or
// plain), as in Orchestrion; build tags are not evaluated because the file is read directly.

/** Removes comments, keeping string literals intact (import paths never contain comment markers, but be exact). */
function stripComments(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      out += ' ';
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

export function toolGoImports(src: string, file: string): string[] {
  const code = stripComments(src);
  const imports: string[] = [];
  const spec = /^\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+|[._]\s+)?("(?:[^"\\]|\\.)*"|`[^`]*`)\s*;?\s*$/u;
  const take = (s: string) => {
    const m = spec.exec(s);
    if (!m) throw new Error(`${file}: cannot read import spec ${JSON.stringify(s.trim())}`);
    imports.push(m[1]!.startsWith('`') ? m[1]!.slice(1, -1) : (JSON.parse(m[1]!) as string));
  };
  const re = /\bimport\s*(\(([^)]*)\)|[^\n;]*)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (m[2] !== undefined) {
      for (const line of m[2].split(/[\n;]/)) if (line.trim() !== '') take(line);
    } else {
      take(m[1]!);
    }
  }
  return imports;
}
