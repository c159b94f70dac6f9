// The compile gate: files through which a build's job server tells bin/orchestrion which compiles
// it can run without starting Node. Most compiles of a build are of packages no aspect can touch;
// each one through Node costs a process start and a round trip to the job server (~35 ms of CPU,
// hundreds of times per cold build). The job server writes its configuration's gate
// (configurationGate in src/config/prefilter.ts) here once it has loaded the configuration, and
// bin/orchestrion runs a compile directly when the gate is closed for it: no needle in its Go files
// or importcfg (`grep -F -f needles`), its TOOLEXEC_IMPORTPATH matching no line of `paths`, and, when
// `main` exists, its -p neither `main` nor other than its import path.
//
// A compile must also pass on the link.deps of its imports (src/gobuild/linkdeps.ts). The shell
// does so for a package that is not main from records: `deps/<archive dir>%<name>` holds the
// link.deps of an archive this build wrote that has some, written by whoever wrote it (a compile,
// through Node or the shell, before it returns to go; a compile that takes another's outputs). An
// archive of the build's $WORK without a record has none; one from go's cache must be known from
// the facts (`facts/deps/`, or its action in `facts/ids/`: go writes the build ID, action ID first,
// on an archive's fourth line), or the gate stays open.
//
// Files in the directory ($ORCHESTRION_GATE_DIR, one per `orchestrion go` build, removed with it):
//   needles   fixed strings, one per line; written last: until it exists every compile goes through Node
//   paths     sh `case` patterns on TOOLEXEC_IMPORTPATH, one per line (import paths, `*.test`)
//   main      present when an aspect may match a package by its name being main
//   scopes    `<pattern> <directory>` lines: a TOOLEXEC_IMPORTPATH matching a pattern (the first
//             that does) is gated by the needles, paths and main of that directory instead (`.`:
//             the ones above). Orchestrion's special cases: dd-trace-go's own packages receive only
//             tracer-internal aspects, so a `packagefile net/http=` needle of an aspect for users'
//             code no longer sends them to Node; orchestrion's own are never woven.
//   deps/     deps/<absolute archive directory>%<archive name>: the link.deps of an archive of this
//             build that has some. One directory per $WORK, not per action (b001/, b002/, …): the
//             shell then makes one directory per build, not a process per compile
//   links/    links/<absolute path of a main package's archive>: the packagefile lines its compile
//             through Node resolved into its importcfg (its link-time dependencies and all they need).
//             bin/orchestrion runs that package's link directly, those lines added to cmd/go's
//             importcfg, when every archive's link.deps are known (deps/, facts) and provided.
//   facts     a link to the user's facts directory (FACTS_DIR in the runtime directory), shared by
//             all builds, since what it records stays true: a developer's next build (an edit) finds
//             what the last one learnt of the archives in go's cache, instead of sending every
//             compile importing one of them to Node. Records are written aside and renamed.
//     deps/   deps/<absolute path of an archive of go's cache>: its link.deps, empty for none. go's
//             cache names an output by the SHA-256 of its content, so the record stays true.
//     ids/    ids/<action ID>: the link.deps of a compile (the shell's or Node's), empty for none.
//             go caches its archive under that build ID, and the same action ID means the same
//             inputs, the imports' archives (link.deps members included) and orchestrion's suffix
//             among them. A child build takes every standard package from go's cache, before any
//             compile through Node could have read them: without this its first compiles all went to Node.
//   children  present while a child build of the job server runs: directly run compiles then share
//             their outputs through `dedupe/` (a flock per action ID), as build.start shares those
//             of compiles through Node, since the child and go compile the same packages at once
//   ungated   the import paths compiled directly, one per line (the overhead report's counts)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FALSE, TRUE } from '../cacheprog/args.ts';
import { isCachedArchive } from '../gobuild/archive.ts';
import { configurationGate, type Gate } from '../config/prefilter.ts';
import { specialCasePatterns, type SpecialMode } from '../config/specialcase.ts';

export const GATE_DIR_ENV = 'ORCHESTRION_GATE_DIR';
/** ORCHESTRION_COMPILE_GATE=0: every compile through Node (to observe each in the debug log). */
export const GATE_ENV = 'ORCHESTRION_COMPILE_GATE';

export function gateEnabled(env: NodeJS.ProcessEnv): boolean {
  const v = env[GATE_ENV] ?? '';
  if (v === '' || TRUE.test(v)) return true;
  if (FALSE.test(v)) return false;
  throw new Error(`${GATE_ENV}=${v}: not a boolean (0 sends every compile through the job server)`);
}

/** Import paths go accepts are plain: anything else could read as a pattern, and opens the gate. */
const PLAIN_PATH = /^[A-Za-z0-9._~+/-]+$/;

/** The facts directory's name in the runtime directory. */
export const FACTS_DIR = 'gate-facts';

/**
 * Past this size of the facts' ids/ directory (a stat: a directory's size grows with its entries,
 * some 20-40 bytes each) they are dropped and gathered again, so that they do not grow forever.
 */
const FACTS_MAX_DIR_BYTES = 2 << 20;

/**
 * Creates the gate directory of a build: every compile goes through Node until a job server writes
 * its gate. `facts` is the shared facts directory (created if needed); without it, one of its own.
 */
export function makeGateDir(dir: string, facts?: string): void {
  fs.mkdirSync(path.join(dir, 'dedupe'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'deps'));
  fs.mkdirSync(path.join(dir, 'links'));
  if (facts === undefined) {
    openFacts(path.join(dir, 'facts'));
    return;
  }
  openFacts(facts);
  fs.symlinkSync(facts, path.join(dir, 'facts'));
}

function openFacts(facts: string): void {
  const ids = path.join(facts, 'ids');
  const st = fs.statSync(ids, { throwIfNoEntry: false });
  if (st && st.size > FACTS_MAX_DIR_BYTES) {
    // Renamed first: a build writing records meanwhile loses them, none lands in a half-removed tree.
    const old = `${facts}.old.${process.pid}`;
    fs.renameSync(facts, old);
    fs.rmSync(old, { recursive: true, force: true });
  }
  fs.mkdirSync(ids, { recursive: true });
  fs.mkdirSync(path.join(facts, 'deps'), { recursive: true });
}

/** A build ID's action ID, when it is one the shell can look up (`ids/`). */
const ACTION_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Records the link.deps (`text`, as in the archive; '' for none) of the compile of build ID `buildID`
 * under its action ID (see `ids/`), before go can cache the archive and hand it to an importer.
 */
export function recordActionDeps(dir: string, buildID: string, text: string): void {
  const action = buildID.split('/')[0]!;
  if (!ACTION_ID.test(action)) return;
  try {
    // Written aside and renamed: a compile may read it at any time, and an empty file says "none".
    const record = path.join(dir, 'facts', 'ids', action);
    const tmp = path.join(dir, 'facts', 'ids', `.${action}.${process.pid}`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, record);
  } catch {
    // The gate only stays open to its importers.
  }
}

/** Where the link.deps of `archive` (an absolute path) of this build are recorded (see `deps/`). */
export function archiveRecord(dir: string, archive: string): string {
  return path.join(dir, 'deps', `${path.dirname(archive)}%${path.basename(archive)}`);
}

/**
 * Records the link.deps (`text`, as in the archive) of the archive at the absolute path `archive`,
 * which this process wrote: its importers can then be compiled directly. Throws when it cannot: the
 * compile must fail rather than let an importer lose them.
 */
export function recordArchiveDeps(dir: string, archive: string, text: string): void {
  const record = archiveRecord(dir, archive);
  fs.mkdirSync(path.dirname(record), { recursive: true });
  fs.writeFileSync(record, text);
}

/**
 * Records, for the link of the main package whose archive is `archive` (this process wrote it), the
 * packages its compile resolved into its importcfg (import path → archive): all its link-time
 * dependencies need. Written aside and renamed; a failure leaves the link to Node.
 */
export function recordLinkAdditions(dir: string, archive: string, added: [string, string][]): void {
  if (added.some(([p, a]) => /[\n=]/.test(p) || a.includes('\n'))) return;
  try {
    const record = path.join(dir, 'links', archive);
    fs.mkdirSync(path.dirname(record), { recursive: true });
    const tmp = `${record}.${process.pid}`;
    fs.writeFileSync(tmp, added.map(([p, a]) => `packagefile ${p}=${a}\n`).join(''));
    fs.renameSync(tmp, record);
  } catch {
    // The link goes through Node.
  }
}

/**
 * Records archives of go's cache read without link.deps (an empty record, once): the gate may then
 * close to their importers. Only content-addressed files of go's disk cache (another path could
 * change under the same name).
 */
export function recordEmptyArchives(dir: string, archives: string[]): void {
  for (const archive of archives) {
    if (!isCachedArchive(archive)) continue;
    const record = path.join(dir, 'facts', 'deps', archive);
    if (fs.existsSync(record)) continue;
    try {
      fs.mkdirSync(path.dirname(record), { recursive: true });
      fs.writeFileSync(record, '', { flag: 'wx' });
    } catch {
      // Recorded meanwhile, or the gate only stays open to their importers.
    }
  }
}

/** Records the link.deps of archives of go's cache read with some (archive path → text). */
export function recordCachedArchiveDeps(dir: string, archives: Map<string, string>): void {
  for (const [archive, text] of archives) {
    if (!isCachedArchive(archive)) continue;
    try {
      // Written aside and renamed: a compile may read it at any time.
      const record = path.join(dir, 'facts', 'deps', archive);
      fs.mkdirSync(path.dirname(record), { recursive: true });
      const tmp = `${record}.${process.pid}`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, record);
    } catch {
      // The gate only stays open to their importers.
    }
  }
}

/** A configuration's aspects as the gate sees them: join point, and whether tracer-internal. */
export interface GatedAspect {
  joinPoint: unknown;
  tracerInternal: boolean;
}

/** The gate of each special case's mode: what the job server weaves into such a package. */
function scopeGate(mode: Exclude<SpecialMode, 'normal'>, aspects: readonly GatedAspect[]): Gate {
  const kept = mode === 'never' ? [] : aspects.filter((a) => a.tracerInternal);
  return configurationGate(kept.map((a) => a.joinPoint));
}

/**
 * Writes the gate of a configuration: per scope (Orchestrion's special cases) the files of its
 * directory, `scopes`, then the configuration's own `paths` and `main`, `needles` last
 * (bin/orchestrion reads the gate only once `needles` exists). An 'always' gate, or one no
 * line-based file can hold, is not written: its compiles then go through Node, as without a gate.
 */
export function writeGate(dir: string, aspects: readonly GatedAspect[]): boolean {
  const scopes: string[] = [];
  const written = new Set<SpecialMode>();
  for (const { pattern, mode } of specialCasePatterns()) {
    if (!PLAIN_PATH.test(pattern.replace(/\/\*$/, ''))) return false;
    if (mode === 'normal') {
      scopes.push(`${pattern} .\n`);
      continue;
    }
    const sub = `scope-${mode}`;
    if (!written.has(mode)) {
      written.add(mode);
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      writeGateFiles(path.join(dir, sub), scopeGate(mode, aspects));
    }
    scopes.push(`${pattern} ${sub}\n`);
  }
  writeFile(dir, 'scopes', scopes.join(''));
  return writeGateFiles(dir, configurationGate(aspects.map((a) => a.joinPoint)));
}

function writeFile(dir: string, name: string, content: string): void {
  const tmp = path.join(dir, `.${name}.${process.pid}`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, path.join(dir, name));
}

/** One gate's `paths`, `main` and, last, `needles`; false (nothing written) when it cannot close. */
function writeGateFiles(dir: string, gate: Gate): boolean {
  const needles = gate === 'always' ? [] : [...gate.needles];
  if (gate === 'always' || needles.some((n) => n === '' || /[\n\r\0]/.test(n))) {
    fs.rmSync(path.join(dir, 'needles'), { force: true });
    return false;
  }
  const patterns = [...gate.paths];
  if (patterns.some((p) => !PLAIN_PATH.test(p))) patterns.push('*');
  if (gate.testMain) patterns.push('*.test');
  writeFile(dir, 'paths', patterns.map((p) => `${p}\n`).join(''));
  if (gate.mainPackage) writeFile(dir, 'main', '');
  else fs.rmSync(path.join(dir, 'main'), { force: true });
  writeFile(dir, 'needles', needles.map((n) => `${n}\n`).join(''));
  return true;
}

/** Marks whether the job server has child builds running. */
export function markChildBuilds(dir: string, running: boolean): void {
  const f = path.join(dir, 'children');
  try {
    if (running) fs.writeFileSync(f, '');
    else fs.rmSync(f, { force: true });
  } catch {
    // The build's directory is gone (the build ended): nothing to mark.
  }
}

/** How many compiles bin/orchestrion ran directly. */
export function ungatedCount(dir: string): number {
  try {
    return fs.readFileSync(path.join(dir, 'ungated'), 'utf8').split('\n').filter((l) => l !== '').length;
  } catch {
    return 0;
  }
}
