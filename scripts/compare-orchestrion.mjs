// Compares, file by file, what Orchestrion weaves in a build with what `orchestrion instrument -o`
// writes for the same packages (issue 11: "compared byte for byte against Orchestrion's own
// output"). Documented in docs/INSTRUMENT.md ("Checking against Orchestrion").
//
//   node scripts/compare-orchestrion.mjs [options] [--] [build flags] [packages]
//
// 1. Orchestrion: `<orchestrion> go build -work -a -o <tmp>/bin/ <build flags> <packages>` in the
//    module, with a fresh GOCACHE (its child builds, which weave the packages advice injects, drop
//    -a: with a warm cache they would not compile those packages again and their woven files would
//    be missing) and GOTMPDIR in a private directory. Its woven files are
//    `<bNNN>/orchestrion/src/<-p>/<file>` below $WORK, child builds' under `$WORK/__tmp__/go-build*`;
//    `-p` is the import path, `main` for a program (mapped back to the import path through the
//    file's leading `//line` directive and `go list`). `synthetic/link_deps_imports.go` (main's
//    link-time imports, no source file of the package) is left out.
// 2. Ours: `bin/orchestrion instrument -deps -o <tmp>/ours <build flags> <packages>`; then, for the
//    packages Orchestrion wove that are neither among those nor in its output (packages injected by
//    advice, woven in Orchestrion's child builds, which `instrument -deps` follows too), `instrument
//    -o` of those import paths.
// 3. Each file is compared byte for byte after one normalisation, on both sides: a `//line`
//    directive naming a file inside a build's scratch directory ($WORK/bNNN/ of a cgo package's
//    generated file; instrument's own scratch directory) has that directory replaced by `$WORK/`.
//    Nothing else is changed.
//
// Options:
//   -C DIR                  the module directory (default: the current directory)
//   --orchestrion BIN       Orchestrion's binary (default: $ORCHESTRION_REFERENCE_BIN, else
//                           /tmp/orchbin/orchestrion when present, else `orchestrion` on PATH)
//   --work DIR              reuse the $WORK tree of an earlier `go build -work -a` by Orchestrion
//   --ours DIR              reuse the output of an earlier `instrument -o` (repeatable: the
//                           injected packages' output too)
//   --gocache DIR           GOCACHE of our instrument (default: a fresh temporary directory; a kept
//                           one makes reruns fast and is sound: the -V=full suffix keys every entry)
//   --orchestrion-gocache DIR  GOCACHE of Orchestrion's build (default: fresh, see 1.; with a warm
//                           one, a package a child build finds in the cache is not woven again,
//                           and its files show as "only orchestrion-ts")
//   --keep                  keep the temporary directories (their paths are printed)
//   --json FILE             also write the result as JSON
//   --diffs N               unified diffs printed for the first N differing files (default 5)
//   --diff-lines N          at most N lines of each (default 80)
// A file found under another name with the same bytes (Orchestrion names a woven file after the
// file its leading `//line` directive names) is reported as RENAMED.
// Exit status: 0 when every file is identical and none is missing on either side, 1 otherwise,
// 2 for a command-line error or a build that failed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OURS_BIN = path.join(ROOT, 'bin', 'orchestrion');

function usage(msg) {
  process.stderr.write(`compare-orchestrion: ${msg}\nusage: node scripts/compare-orchestrion.mjs [-C DIR] [--orchestrion BIN] [--work DIR] [--ours DIR] [--gocache DIR] [--orchestrion-gocache DIR] [--keep] [--json FILE] [--diffs N] [--diff-lines N] [--] [build flags] [packages]\n`);
  process.exit(2);
}

export function parseArgs(argv) {
  const opts = { dir: process.cwd(), keep: false, diffs: 5, diffLines: 80, goArgs: [] };
  const valued = { '-C': 'dir', '--orchestrion': 'orchestrion', '--work': 'work', '--ours': 'ours', '--gocache': 'gocache', '--orchestrion-gocache': 'orchGocache', '--json': 'json', '--diffs': 'diffs', '--diff-lines': 'diffLines' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      opts.goArgs.push(...argv.slice(i + 1));
      break;
    }
    const [name, inline] = a.includes('=') && a.startsWith('--') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name in valued) {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${name} needs a value`);
      if (name === '--ours') (opts.ours ??= []).push(v);
      else opts[valued[name]] = name === '--diffs' || name === '--diff-lines' ? Number(v) : v;
      continue;
    }
    if (a === '--keep') {
      opts.keep = true;
      continue;
    }
    if (a === '-h' || a === '--help') usage('help');
    opts.goArgs.push(a);
  }
  opts.dir = path.resolve(opts.dir);
  if (!opts.goArgs.some((a) => !a.startsWith('-'))) opts.goArgs.push('.');
  return opts;
}

function findOrchestrion(given) {
  if (given) return given;
  if (process.env.ORCHESTRION_REFERENCE_BIN) return process.env.ORCHESTRION_REFERENCE_BIN;
  if (fs.existsSync('/tmp/orchbin/orchestrion')) return '/tmp/orchbin/orchestrion';
  return 'orchestrion';
}

const log = (msg) => process.stderr.write(`[compare ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The environment both tools run in: the caller's, without the variables of a surrounding orchestrion build. */
function baseEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const k of ['ORCHESTRION_JOBSERVER_URL', 'ORCHESTRION_VERSION_SUFFIX', 'ORCHESTRION_RESOLVE_CHAIN', 'TOOLEXEC_IMPORTPATH']) delete env[k];
  return env;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.error) throw r.error;
  return r;
}

function fail(what, r) {
  process.stderr.write(`compare-orchestrion: ${what} failed (exit ${r.status ?? r.signal})\n${(r.stderr ?? '').slice(-6000)}`);
  process.exit(2);
}

/** Every `bNNN/orchestrion/src` directory below a $WORK tree, child builds' included. */
function wovenRoots(work) {
  const out = [];
  const visit = (dir, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      if (/^b\d+$/.test(e.name)) {
        const src = path.join(p, 'orchestrion', 'src');
        if (fs.existsSync(src)) out.push(src);
      } else if (depth < 4 && (e.name === '__tmp__' || e.name.startsWith('go-build'))) {
        visit(p, depth + 1);
      }
    }
  };
  visit(work, 0);
  return out.sort();
}

function filesBelow(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The original file a woven file names in its `//line` directives, outside any scratch directory. */
function originalOf(content) {
  for (const m of content.matchAll(/^\/\/line (.+?\.go):\d+(?::\d+)?$/gm)) {
    if (!isScratch(m[1])) return m[1];
  }
  return undefined;
}

// A build's scratch directory: cmd/go's $WORK (`go-build<digits>`, a child build's below its
// `__tmp__`), or the one `orchestrion instrument` compiles cgo packages in.
const SCRATCH = /^(?:.*\/)?(?:go-build\d+(?:\/__tmp__\/go-build\d+)*|orchestrion-instrument-[^/]+)\/b\d+\//;
const isScratch = (file) => SCRATCH.test(file);

/** The one normalisation: `//line <scratch dir>/bNNN/<file>…` → `//line $WORK/<file>…`. */
export function normalise(content) {
  return content.replace(/^(\/\/line )(\S[^\n]*)$/gm, (line, prefix, target) => {
    const m = SCRATCH.exec(target);
    return m ? prefix + '$WORK/' + target.slice(m[0].length) : line;
  });
}

/** `go list -deps` of the patterns: import path → {dir, name}. */
function listPackages(dir, goArgs, env) {
  const r = run('go', ['list', '-e', '-deps', '-f', '{{.ImportPath}}\t{{.Name}}\t{{.Dir}}', ...goArgs], { cwd: dir, env });
  if (r.status !== 0) fail('go list', r);
  const pkgs = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [importPath, name, pkgDir] = line.split('\t');
    pkgs.set(importPath, { name, dir: pkgDir });
  }
  return pkgs;
}

/** Orchestrion's woven files: `<import path>/<file>` → {path, content}, plus conflicts. */
export function collectOrchestrion(work, mainDirs) {
  const files = new Map();
  const conflicts = [];
  const skipped = [];
  for (const src of wovenRoots(work)) {
    for (const file of filesBelow(src)) {
      let rel = path.relative(src, file).split(path.sep).join('/');
      const content = fs.readFileSync(file, 'utf8');
      if (rel.startsWith('synthetic/')) {
        skipped.push(rel);
        continue;
      }
      if (rel.startsWith('main/') && !rel.slice(5).includes('/')) {
        const orig = originalOf(content);
        const importPath = orig ? mainDirs.get(path.dirname(orig)) : undefined;
        rel = `${importPath ?? 'main(unmapped)'}/${rel.slice(5)}`;
      }
      const prev = files.get(rel);
      if (prev && prev.content !== content) conflicts.push({ name: rel, paths: [prev.path, file] });
      if (!prev) files.set(rel, { path: file, content });
    }
  }
  return { files, conflicts, skipped };
}

export function collectOurs(dirs) {
  const files = new Map();
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const file of filesBelow(d)) {
      const rel = path.relative(d, file).split(path.sep).join('/');
      if (!files.has(rel)) files.set(rel, { path: file, content: fs.readFileSync(file, 'utf8') });
    }
  }
  return files;
}

export function compare(orch, ours) {
  const names = [...new Set([...orch.keys(), ...ours.keys()])].sort();
  const res = { identical: [], differing: [], onlyOrchestrion: [], onlyOurs: [], renamed: [] };
  for (const n of names) {
    const a = orch.get(n);
    const b = ours.get(n);
    if (!a) res.onlyOurs.push(n);
    else if (!b) res.onlyOrchestrion.push(n);
    else if (normalise(a.content) === normalise(b.content)) res.identical.push(n);
    else res.differing.push(n);
  }
  // The same bytes under another name in the same package: Orchestrion names a woven file after
  // the file its leading `//line` directive names, when there is one.
  for (const n of [...res.onlyOrchestrion]) {
    const text = normalise(orch.get(n).content);
    const m = res.onlyOurs.find((o) => path.posix.dirname(o) === path.posix.dirname(n) && normalise(ours.get(o).content) === text);
    if (m === undefined) continue;
    res.renamed.push({ orchestrion: n, ours: m });
    res.onlyOrchestrion.splice(res.onlyOrchestrion.indexOf(n), 1);
    res.onlyOurs.splice(res.onlyOurs.indexOf(m), 1);
  }
  return res;
}

function unifiedDiff(name, a, b, maxLines, tmp) {
  const fa = path.join(tmp, 'a.go');
  const fb = path.join(tmp, 'b.go');
  fs.writeFileSync(fa, a);
  fs.writeFileSync(fb, b);
  const r = run('diff', ['-u', '--label', `orchestrion/${name}`, '--label', `ours/${name}`, fa, fb], {});
  const lines = (r.stdout || r.stderr || '').split('\n');
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines)`].join('\n') : lines.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const orchestrion = findOrchestrion(opts.orchestrion);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-orchestrion-'));
  if (opts.keep) log(`temporary files in ${tmp}`);
  else process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const gotmp = path.join(tmp, 'gotmp');
  fs.mkdirSync(gotmp);

  const listEnv = baseEnv({});
  const pkgs = listPackages(opts.dir, opts.goArgs, listEnv);
  const mainDirs = new Map([...pkgs].filter(([, p]) => p.name === 'main').map(([ip, p]) => [p.dir, ip]));

  // 1. Orchestrion.
  let work = opts.work;
  if (!work) {
    const gocache = opts.orchGocache ?? path.join(tmp, 'gocache-orchestrion');
    if (opts.orchGocache && fs.existsSync(opts.orchGocache)) log(`warning: ${opts.orchGocache} may hold packages Orchestrion's child builds will not weave again (files missing on its side)`);
    const version = run(orchestrion, ['version'], { env: listEnv });
    log(`${(version.stdout || '').trim() || orchestrion}: go build -work -a ${opts.goArgs.join(' ')} (GOCACHE ${gocache})`);
    const r = run(orchestrion, ['go', 'build', '-work', '-a', '-o', path.join(tmp, 'bin') + '/', ...opts.goArgs], {
      cwd: opts.dir,
      env: baseEnv({ GOCACHE: gocache, GOTMPDIR: gotmp }),
    });
    work = /^WORK=(.+)$/m.exec(r.stderr ?? '')?.[1];
    if (r.status !== 0) fail(`${orchestrion} go build`, r);
    if (!work) fail(`${orchestrion} go build (no WORK= line)`, r);
  }
  const orch = collectOrchestrion(work, mainDirs);
  log(`Orchestrion wove ${orch.files.size} files (${work})`);

  // 2. Ours.
  const oursDirs = [];
  if (opts.ours) {
    oursDirs.push(...opts.ours.map((d) => path.resolve(d)));
  } else {
    const gocache = opts.gocache ?? path.join(tmp, 'gocache-ours');
    const env = baseEnv({ GOCACHE: gocache, GOTMPDIR: gotmp });
    const out = path.join(tmp, 'ours');
    log(`orchestrion-ts: instrument -deps -o ${out} ${opts.goArgs.join(' ')} (GOCACHE ${gocache})`);
    const r = run(OURS_BIN, ['instrument', '-deps', '-o', out, ...opts.goArgs], { cwd: opts.dir, env });
    if (r.status !== 0) fail('bin/orchestrion instrument -deps', r);
    oursDirs.push(out);
    // Packages woven by Orchestrion that instrument -deps neither listed nor wove (an older
    // instrument -deps did not follow the packages advice injects).
    const covered = new Set([...pkgs.keys(), ...[...collectOurs([out]).keys()].map((n) => path.posix.dirname(n))]);
    const injected = [...new Set([...orch.files.keys()].map((n) => path.posix.dirname(n)))].filter((ip) => !covered.has(ip) && !ip.startsWith('main('));
    if (injected.length > 0) {
      const out2 = path.join(tmp, 'ours-injected');
      const flags = opts.goArgs.filter((a) => a.startsWith('-'));
      log(`orchestrion-ts: instrument -o ${out2} of ${injected.length} injected packages: ${injected.join(' ')}`);
      const r2 = run(OURS_BIN, ['instrument', '-o', out2, ...flags, ...injected], { cwd: opts.dir, env });
      if (r2.status !== 0) fail('bin/orchestrion instrument (injected packages)', r2);
      oursDirs.push(out2);
    }
  }
  const ours = collectOurs(oursDirs);

  // 3. Comparison.
  const res = compare(orch.files, ours);
  const byPackage = new Set([...orch.files.keys(), ...ours.keys()].map((n) => path.posix.dirname(n)));
  process.stdout.write(`module ${opts.dir}, ${opts.goArgs.join(' ')}\n`);
  process.stdout.write(`${byPackage.size} packages, ${orch.files.size} files woven by Orchestrion, ${ours.size} by orchestrion-ts\n`);
  process.stdout.write(`identical: ${res.identical.length}, differing: ${res.differing.length}, only Orchestrion: ${res.onlyOrchestrion.length}, only orchestrion-ts: ${res.onlyOurs.length}` + (res.renamed.length ? `, same bytes under another name: ${res.renamed.length}` : '') + (orch.conflicts.length ? `, Orchestrion wrote ${orch.conflicts.length} files twice with different bytes` : '') + '\n');
  for (const n of res.identical) process.stdout.write(`  same      ${n}\n`);
  for (const n of res.differing) process.stdout.write(`  DIFFERENT ${n}\n`);
  for (const n of res.onlyOrchestrion) process.stdout.write(`  ONLY ORCHESTRION ${n}\n`);
  for (const n of res.onlyOurs) process.stdout.write(`  ONLY OURS ${n}\n`);
  for (const r of res.renamed) process.stdout.write(`  RENAMED   ${r.ours} (Orchestrion: ${path.posix.basename(r.orchestrion)}), same bytes\n`);
  for (const c of orch.conflicts) process.stdout.write(`  CONFLICT  ${c.name}: ${c.paths.join(' vs ')}\n`);
  if (orch.skipped.length) process.stdout.write(`not compared (Orchestrion's synthetic files): ${orch.skipped.join(', ')}\n`);
  for (const n of res.differing.slice(0, opts.diffs)) {
    process.stdout.write('\n' + unifiedDiff(n, normalise(orch.files.get(n).content), normalise(ours.get(n).content), opts.diffLines, tmp) + '\n');
  }
  if (opts.json) {
    const doc = { module: opts.dir, args: opts.goArgs, work, ours: oursDirs, ...res, conflicts: orch.conflicts, skipped: orch.skipped };
    fs.writeFileSync(opts.json, JSON.stringify(doc, null, 2) + '\n');
  }
  const ok = res.differing.length === 0 && res.onlyOrchestrion.length === 0 && res.onlyOurs.length === 0 && res.renamed.length === 0 && orch.conflicts.length === 0;
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
