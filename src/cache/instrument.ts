// The instrumentation cache: what the wasm injector answered for a package, kept on disk by a hash
// of everything it read. The injector is a pure function of the package's files, the export data
// of its imports, the aspects the pre-filters kept and a few build settings; Go's build cache only
// helps while its own action IDs match, so a fresh GOCACHE (CI, `go clean -cache`, another build
// mode sharing packages) would otherwise weave runtime, net/http, … again, seconds each.
//
// Key (sha256): format, tool build ID, import path, language version, GOOS/GOARCH, test-main flag,
// root module, the templates' Version, the kept aspects (canonical JSON), whether the injector's verdicts are asked for
// (`instrument -explain`), each file's name and content, and for each import the export data
// (`__.PKGDEF`) of its archive (its SHA-256, remembered per archive by archiveIdentity: the same
// few archives are imported by hundreds of a build's packages). No absolute path is in the key:
// archive paths change from build to build and are left out; a file counts as (index of its directory, base name), so a package at
// another checkout path, or cgo output in another $WORK, finds the entry. The entry is stored with
// those directories replaced by their index, and read back with the asking build's own (the woven
// files' //line directives name the original files). Results with errors are not cached: they
// fail the build, which is retried.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJSON } from '../config/fingerprint.ts';
import type { ImportConfig } from '../gobuild/importcfg.ts';
import { archiveIdentity, readMember } from '../gobuild/archive.ts';
import type { InstrumentResult } from '../jobserver/protocol.ts';
import { userCacheDir } from './dir.ts';

const FORMAT = 4;

export interface InstrumentInputs {
  toolBuildID: string;
  importPath: string;
  lang: string;
  /** A standard-library package (`-std`): weaving it may skip type-checking function bodies. */
  standardLibrary: boolean;
  goos: string;
  goarch: string;
  testMain: boolean;
  rootModule: string;
  /** The templates' `Version`. */
  orchestrionVersion: string;
  aspects: unknown[];
  files: { path: string; content: string }[];
  importcfg: ImportConfig;
  /** The answer carries the injector's verdicts (`instrument -explain`): a separate entry. */
  explain?: boolean;
}

export function instrumentCacheKey(i: InstrumentInputs): string {
  const h = createHash('sha256');
  const field = (s: string) => h.update(s).update('\0');
  field(`orchestrion-ts instrument ${FORMAT}`);
  for (const s of [i.toolBuildID, i.importPath, i.lang, i.goos, i.goarch, String(i.testMain), i.rootModule, i.orchestrionVersion, canonicalJSON(i.aspects)]) field(s);
  if (i.explain) field('explain');
  if (i.standardLibrary) field('std');
  const dirs = sourceDirs(i.files.map((f) => f.path));
  for (const f of i.files) field(`${dirs.indexOf(path.dirname(f.path))}/${path.basename(f.path)}`), field(f.content);
  for (const [from, to] of [...i.importcfg.importMap].sort()) field(`importmap ${from}=${to}`);
  for (const [p, archive] of [...i.importcfg.packageFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    field(`packagefile ${p}`);
    field(exportDigest(archive));
  }
  return h.digest('hex');
}

/** Export data digests by archive path, size and modification time. */
const digests = new Map<string, string>();
const MAX_DIGESTS = 20_000;

/** The SHA-256 of an archive's export data (`__.PKGDEF`); of its whole content when it is not an archive (a shared library, …). */
function exportDigest(archive: string): string {
  const id = archiveIdentity(archive);
  let digest = id === undefined ? undefined : digests.get(id);
  if (digest !== undefined) return digest;
  let data: Buffer | undefined;
  try {
    data = readMember(archive, '__.PKGDEF');
  } catch {
    data = fs.readFileSync(archive);
  }
  digest = createHash('sha256').update(data ?? Buffer.alloc(0)).digest('hex');
  if (digests.size >= MAX_DIGESTS) digests.clear();
  if (id !== undefined) digests.set(id, digest);
  return digest;
}

/** The distinct directories of a package's files, in order of first appearance: the entry's frame of reference. */
export function sourceDirs(files: string[]): string[] {
  return [...new Set(files.map((f) => path.dirname(f)))];
}

// JSON.stringify escapes every control character, so a raw U+0001 never occurs in its output: the
// marks cannot collide with any text of the entry.
const MARK = '\u0001';
const jsonText = (s: string) => JSON.stringify(s).slice(1, -1);

/** The entry's JSON with each directory (with its trailing separator) replaced by a mark naming its index. */
function relocateOut(json: string, dirs: string[]): string {
  // Longest first, so that a directory inside another is named by its own index, on every machine.
  const order = dirs.map((d, i) => [jsonText(d + path.sep), i] as const).sort(([a], [b]) => b.length - a.length);
  for (const [text, i] of order) json = json.split(text).join(`${MARK}${i}${MARK}`);
  return json;
}

function relocateIn(json: string, dirs: string[]): string | undefined {
  let bad = false;
  const out = json.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, i: string) => {
    const d = dirs[Number(i)];
    if (d === undefined) bad = true;
    return jsonText((d ?? '') + path.sep);
  });
  return bad ? undefined : out;
}

const entryFile = (key: string) => path.join(userCacheDir(), 'instrument', key.slice(0, 2), `${key}.json`);

/** The cached answer for `key`, its paths those of `dirs` (sourceDirs of the asking compile's files). */
export function readInstrumentResult(key: string, dirs: string[]): InstrumentResult | undefined {
  try {
    const text = relocateIn(fs.readFileSync(entryFile(key), 'utf8'), dirs);
    if (text === undefined) return undefined;
    const e = JSON.parse(text) as { format: number; result: InstrumentResult };
    return e.format === FORMAT ? e.result : undefined;
  } catch {
    return undefined;
  }
}

export function writeInstrumentResult(key: string, dirs: string[], result: InstrumentResult): void {
  if (result.errors.length > 0) return;
  const file = entryFile(key);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, relocateOut(JSON.stringify({ format: FORMAT, result }), dirs));
    fs.renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs the next build the work
  }
}
