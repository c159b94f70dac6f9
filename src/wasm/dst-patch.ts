// The one change the wasm injector needs in github.com/dave/dst, applied at build time.
//
// dst's restorer (decorator/restorer.go, restoreIdent) records `r.Dst.Nodes[out.X] = n` while out.X is
// still a nil ast.Node: a nil interface key in a map keyed by ast.Node. Go 1.26+ js/wasm hashes such a
// key to the map's full 64-bit seed where every other key gets a 32-bit hash, so once the map has grown
// past one table (about 900 entries, any sizeable file) the directory lookup reads far outside it
// ("RuntimeError: memory access out of bounds"; docs/wasm-bugs/nil-map-key/). The entry is never
// read: out.X is set right after, and its identifier is recorded on its own. Native builds hash
// differently, so only the wasm build drops that statement.
//
// How: `go build -overlay` may not replace files under GOMODCACHE, so the build copies dst's module
// from the module cache into a temporary directory, patches the copy, and builds with
// `-modfile` naming a temporary go.mod that is go-helpers' own plus `replace github.com/dave/dst =>
// <copy>`. Nothing generated is kept or committed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';

export interface SourcePatch {
  module: string;
  /** File inside the module. */
  file: string;
  /** Text that must occur exactly once in the file. */
  expect: string;
  /** What it becomes. */
  replace: string;
}

/** Drops the nil-key statement; the line before it anchors the match inside restoreIdent. */
export const DST_RESTORER_PATCH: SourcePatch = {
  module: 'github.com/dave/dst',
  file: 'decorator/restorer.go',
  expect: '\tr.Dst.Nodes[out.Sel] = n\n\tr.Dst.Nodes[out.X] = n\n',
  replace: '\tr.Dst.Nodes[out.Sel] = n\n\t// orchestrion-ts (wasm build only): no entry for out.X, still a nil ast.Node here.\n',
};

/**
 * What the wasm module's cache key takes from this file: the patch, and how it is applied (change
 * `method` whenever patchedDstFlags changes what gets built).
 */
export const DST_PATCH_KEY = JSON.stringify({ method: 'copy of the module, go build -modfile with a replace', patch: DST_RESTORER_PATCH });

/** Applies `patch` to `source`, the text of `file`; throws unless the expected text occurs exactly once. */
export function applyPatch(patch: SourcePatch, source: string, file: string): string {
  const count = source.split(patch.expect).length - 1;
  if (count !== 1) {
    throw new Error(
      `${file}: expected exactly one occurrence of ${JSON.stringify(patch.expect)}, found ${count}. ` +
        `The wasm build patches this text out of ${patch.module} (src/wasm/dst-patch.ts); ` +
        `a new version of ${patch.module} needs the patch reviewed.`,
    );
  }
  return source.replace(patch.expect, () => patch.replace);
}

/** The directory of `module` at the version go.mod in `cwd` requires, downloading it when missing. */
export async function moduleDir(goBin: string, module: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await execa(goBin, ['mod', 'download', '-json', module], { cwd, env, extendEnv: false, reject: false });
  let info: { Dir?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout) as typeof info;
  } catch {
    // reported below
  }
  if (r.exitCode !== 0 || info.Error || !info.Dir) {
    throw new Error(`cannot locate ${module} (go mod download -json ${module}): ${info.Error ?? (r.stderr.trim() || r.stdout.trim())}`);
  }
  return info.Dir;
}

/** Copies a directory tree with fresh, writable modes (the module cache's are read-only). */
function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, ent.name);
    if (ent.isDirectory()) copyTree(src, path.join(to, ent.name));
    else if (ent.isFile()) fs.writeFileSync(path.join(to, ent.name), fs.readFileSync(src));
  }
}

/**
 * Prepares, in the empty directory `outDir`, a patched copy of the module and a go.mod/go.sum pair
 * replacing the module by it; returns the `go build` flags that use them. `cwd` is go-helpers.
 */
export async function patchedDstFlags(goBin: string, cwd: string, env: NodeJS.ProcessEnv, outDir: string): Promise<string[]> {
  const patch = DST_RESTORER_PATCH;
  const original = await moduleDir(goBin, patch.module, cwd, env);
  const copy = path.join(outDir, 'module');
  copyTree(original, copy);
  const file = path.join(copy, patch.file);
  fs.writeFileSync(file, applyPatch(patch, fs.readFileSync(file, 'utf8'), path.join(original, patch.file)));

  const goMod = path.join(outDir, 'go.mod');
  fs.writeFileSync(goMod, `${fs.readFileSync(path.join(cwd, 'go.mod'), 'utf8')}\nreplace ${patch.module} => ${JSON.stringify(copy)}\n`);
  fs.copyFileSync(path.join(cwd, 'go.sum'), path.join(outDir, 'go.sum'));
  return ['-modfile', goMod];
}
