// The instrumentation cache: what the wasm injector answered for a package, kept on disk by a hash
// of everything it read. The injector is a pure function of the package's files, the export data
// of its imports, the aspects the pre-filters kept and a few build settings; Go's build cache only
// helps while its own action IDs match, so a fresh GOCACHE (CI, `go clean -cache`, another build
// mode sharing packages) would otherwise weave runtime, net/http, … again, seconds each.
//
// Key (sha256): format, tool build ID, import path, language version, GOOS/GOARCH, test-main flag,
// root module, the kept aspects (canonical JSON), whether the injector's verdicts are asked for
// (`instrument -explain`), each file's path and content, and for each
// import the export data (`__.PKGDEF`) of its archive. Archive paths, which change from build to
// build, are left out. Results with errors are not cached: they fail the build, which is retried.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJSON } from '../config/fingerprint.ts';
import type { ImportConfig } from '../toolexec/importcfg.ts';
import { readMember } from '../toolexec/archive.ts';
import type { InstrumentResult } from '../jobserver/protocol.ts';
import { userCacheDir } from './dir.ts';

const FORMAT = 1;

export interface InstrumentInputs {
  toolBuildID: string;
  importPath: string;
  lang: string;
  goos: string;
  goarch: string;
  testMain: boolean;
  rootModule: string;
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
  for (const s of [i.toolBuildID, i.importPath, i.lang, i.goos, i.goarch, String(i.testMain), i.rootModule, canonicalJSON(i.aspects)]) field(s);
  if (i.explain) field('explain');
  for (const f of i.files) field(f.path), field(f.content);
  for (const [from, to] of [...i.importcfg.importMap].sort()) field(`importmap ${from}=${to}`);
  for (const [p, archive] of [...i.importcfg.packageFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    field(`packagefile ${p}`);
    let exportData: Buffer | undefined;
    try {
      exportData = readMember(archive, '__.PKGDEF');
    } catch {
      // not an archive (a shared library, …): its whole content stands for it
      exportData = fs.readFileSync(archive);
    }
    h.update(exportData ?? Buffer.alloc(0)).update('\0');
  }
  return h.digest('hex');
}

const entryFile = (key: string) => path.join(userCacheDir(), 'instrument', key.slice(0, 2), `${key}.json`);

export function readInstrumentResult(key: string): InstrumentResult | undefined {
  try {
    const e = JSON.parse(fs.readFileSync(entryFile(key), 'utf8')) as { format: number; result: InstrumentResult };
    return e.format === FORMAT ? e.result : undefined;
  } catch {
    return undefined;
  }
}

export function writeInstrumentResult(key: string, result: InstrumentResult): void {
  if (result.errors.length > 0) return;
  const file = entryFile(key);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, result }));
    fs.renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs the next build the work
  }
}
