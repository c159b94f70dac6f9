// Formatting Go source with the toolchain's own gofmt (canonical layout, aligned comments, sorted
// import groups), which also reports syntax errors as Go's parser words them.
import * as path from 'node:path';
import { execa } from 'execa';

/** Formats `src`; `file` names it in syntax errors. */
export async function gofmt(src: string, goroot: string, file: string): Promise<string> {
  const r = await execa(path.join(goroot, 'bin', 'gofmt'), [], { input: src, reject: false, stripFinalNewline: false });
  if (r.exitCode !== 0) {
    const why = String(r.stderr ?? '').trim() || (r.message ?? `gofmt: exit status ${r.exitCode}`);
    throw new Error(why.replaceAll('<standard input>', file));
  }
  return String(r.stdout);
}
