// The `-V=full` suffix, shared between machines. A CI worker with an empty orchestrion cache would
// otherwise load the configuration, start the wasm injector and list the injectable packages
// (seconds) before go can look up its first action in the shared cache, where every action is
// already waiting. The suffix is a pure function of the tool, the go environment, the build flags
// and the files the computation read; so an entry stored by the worker that computed it can serve
// every other, provided it names those files portably and each is checked before use.
//
// Key (32 bytes, the ActionID of a GOCACHEPROG entry): format, the tool build ID, the go
// environment that selects files and versions (no path: GOROOT, GOPATH, GOMODCACHE, GOMOD are the
// machine's), the build flags, and the contents of the main module's go.mod and go.sum (which pin
// every module-cache input) and root configuration files (so that different branches do not take
// turns over one entry). Not used in a workspace (src/wrapper/shared-suffix.ts).
//
// Entry: the suffix, and each input the computation read as (where, content hash): `local:` a path
// relative to the main module, `mod:` a path inside the module cache; a file by its sha256, a
// directory by the sha256 of its entry names, or `absent`. An entry whose local inputs are not all
// the same here is not used; module-cache inputs are pinned by go.mod and go.sum (in the key). Whoever can write the shared cache can already write every compiled
// package into it: the entry adds no trust (docs/CI.md).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJSON } from '../config/fingerprint.ts';

const FORMAT = 1;

/** Root files hashed into the key (present or not). */
const ROOT_FILES = ['go.mod', 'go.sum', 'orchestrion.tool.go', 'orchestrion.yml'];

interface Entry {
  format: number;
  suffix: string;
  inputs: [where: string, hash: string][];
}

/** The entry's action ID (hex): what the key names, without any path of this machine. */
export function sharedSuffixActionID(parts: Record<string, unknown>, root: string): string {
  const h = createHash('sha256');
  h.update(`orchestrion-ts shared suffix ${FORMAT}\0${canonicalJSON(parts)}\0`);
  for (const f of ROOT_FILES) h.update(`${f}\0${contentHash(path.join(root, f))}\0`);
  return h.digest('hex');
}

/** sha256 of a file, of a directory's sorted entry names (with their kind), or `absent`. */
function contentHash(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return 'absent';
  }
  try {
    if (st.isDirectory()) {
      const names = fs
        .readdirSync(file, { withFileTypes: true })
        .map((d) => `${d.isDirectory() ? 'd' : 'f'} ${d.name}`)
        .sort();
      return `dir:${createHash('sha256').update(names.join('\0')).digest('hex')}`;
    }
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

const slash = (p: string) => p.split(path.sep).join('/');

function portable(file: string, root: string, modcache: string): string {
  const mc = modcache === '' ? undefined : modcache + path.sep;
  if (mc !== undefined && file.startsWith(mc)) return `mod:${slash(file.slice(mc.length))}`;
  return `local:${slash(path.relative(root, file))}`;
}

function resolve(where: string, root: string, modcache: string): string | undefined {
  const i = where.indexOf(':');
  const kind = where.slice(0, i);
  const rel = where.slice(i + 1).split('/').join(path.sep);
  if (kind === 'mod') return modcache === '' ? undefined : path.join(modcache, rel);
  if (kind === 'local') return path.resolve(root, rel);
  return undefined;
}

/** The entry for a suffix computed from `inputs` (absolute paths of files and directories). */
export function sharedSuffixEntry(suffix: string, inputs: string[], root: string, modcache: string): Buffer {
  const seen = new Map<string, string>();
  for (const f of inputs) {
    const where = portable(f, root, modcache);
    if (!seen.has(where)) seen.set(where, contentHash(f));
  }
  const entry: Entry = { format: FORMAT, suffix, inputs: [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
  return Buffer.from(JSON.stringify(entry));
}

/**
 * The suffix an entry holds, and its local inputs as paths here, if each has the same content here
 * (module-cache inputs are immutable, see below).
 */
export function suffixFromSharedEntry(body: Buffer, root: string, modcache: string): { suffix: string; inputs: string[] } | undefined {
  let e: Entry;
  try {
    e = JSON.parse(body.toString('utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (e?.format !== FORMAT || typeof e.suffix !== 'string' || !Array.isArray(e.inputs)) return undefined;
  const inputs: string[] = [];
  for (const input of e.inputs) {
    if (!Array.isArray(input) || typeof input[0] !== 'string' || typeof input[1] !== 'string') return undefined;
    // A module-cache file is named by its module's path@version, which the go.mod and go.sum in
    // the key pin, and go checks what it downloads against go.sum: it is the same file here, even
    // when the module is not downloaded yet (a fresh worker's go downloads it during the build).
    if (input[0].startsWith('mod:')) continue;
    const file = resolve(input[0], root, modcache);
    if (file === undefined || contentHash(file) !== input[1]) return undefined;
    inputs.push(file);
  }
  return { suffix: e.suffix, inputs };
}
