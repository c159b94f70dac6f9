// Locates, and builds when missing, the wasm injector for a given Go toolchain.
//
// Export data in `.a` archives is only readable by a matching go/types, so the module must be built
// by the toolchain of the build being instrumented. Modules are cached under wasm/<go version>-<hash of
// go-helpers sources>/, together with that toolchain's wasm_exec.js: a new Go version or an edited
// go-helpers gives a new directory, never a stale file. The build patches one statement of a
// dependency (dst-patch.ts); the patch is part of the hash.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { pidExists } from '../pid.ts';
import { PROJECT_ROOT } from '../version.ts';
import { DST_PATCH_KEY, patchedDstFlags } from './dst-patch.ts';
const HELPERS_DIR = path.join(PROJECT_ROOT, 'go-helpers');

export interface Toolchain {
  goroot: string;
  /** e.g. go1.26.8 */
  version: string;
}

export interface WasmFiles {
  dir: string;
  wasm: string;
  wasmExec: string;
}

/** The toolchain a tool (`$GOROOT/pkg/tool/<os_arch>/compile`) belongs to. */
export function toolchainOfTool(tool: string): Toolchain {
  const goroot = path.resolve(tool, '..', '..', '..', '..');
  return { goroot, version: readGoVersion(goroot) };
}

export function readGoVersion(goroot: string): string {
  try {
    const first = fs.readFileSync(path.join(goroot, 'VERSION'), 'utf8').split('\n')[0]!.trim();
    if (first.startsWith('go') || first.startsWith('devel')) return first.replace(/\s+/g, '_');
  } catch {
    // fall through: a toolchain without VERSION (built from a git checkout)
  }
  throw new Error(`cannot determine the Go version of GOROOT ${goroot} (no VERSION file)`);
}

/** `go env GOROOT` for the `go` on PATH (what a plain `go build` here would use). */
export async function pathToolchain(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Toolchain> {
  let goroot: string;
  try {
    goroot = (await execa('go', ['env', 'GOROOT'], { cwd, env })).stdout.trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the Go toolchain is not installed or not on PATH (go env GOROOT failed: go: not found)');
    throw new Error(`cannot run the Go toolchain (go env GOROOT): ${(err as Error).message.split('\n')[0]}`);
  }
  return { goroot, version: readGoVersion(goroot) };
}

let helpersHashCache: string | undefined;
/** Hash of go-helpers' build inputs (sources, go.mod, go.sum; not tests) and of the patch of dst. */
export function helpersHash(): string {
  if (helpersHashCache) return helpersHashCache;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (ent.name !== 'testdata' && !ent.name.startsWith('.')) walk(p);
      } else if ((ent.name.endsWith('.go') && !ent.name.endsWith('_test.go')) || ent.name === 'go.mod' || ent.name === 'go.sum') {
        h.update(path.relative(HELPERS_DIR, p)).update('\0').update(fs.readFileSync(p)).update('\0');
      }
    }
  };
  walk(HELPERS_DIR);
  h.update('dst-patch\0').update(DST_PATCH_KEY);
  return (helpersHashCache = h.digest('hex').slice(0, 16));
}

function cacheRoots(): string[] {
  const user = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return [path.join(PROJECT_ROOT, 'wasm'), path.join(user, 'orchestrion-ts', 'wasm')];
}

function filesIn(dir: string): WasmFiles {
  return { dir, wasm: path.join(dir, 'injector.wasm'), wasmExec: path.join(dir, 'wasm_exec.js') };
}

/** Returns the wasm injector for `tc`, building it first when no cached copy exists. */
export async function ensureWasm(tc: Toolchain, log: (msg: string) => void = () => {}): Promise<WasmFiles> {
  const key = `${tc.version}-${helpersHash()}`;
  for (const root of cacheRoots()) {
    const f = filesIn(path.join(root, key));
    if (fs.existsSync(f.wasm) && fs.existsSync(f.wasmExec)) return f;
  }
  let lastErr: unknown;
  for (const root of cacheRoots()) {
    try {
      fs.mkdirSync(root, { recursive: true });
      fs.accessSync(root, fs.constants.W_OK);
    } catch (err) {
      lastErr = err;
      continue;
    }
    return buildInto(tc, path.join(root, key), log);
  }
  throw new Error(`no writable directory for the wasm injector: ${(lastErr as Error)?.message}`);
}

async function buildInto(tc: Toolchain, dir: string, log: (msg: string) => void): Promise<WasmFiles> {
  // Build into a private directory and rename: concurrent builders never expose a partial file.
  removeAbandonedBuilds(path.dirname(dir));
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  // The patched dependency lives only for the build, inside the temporary directory (so that the
  // sweep of abandoned builds takes it too), and is removed before the rename.
  const patchDir = path.join(tmp, 'dst-patch');
  fs.mkdirSync(patchDir);
  const t0 = Date.now();
  log(`building the wasm injector with ${tc.version} (${tc.goroot}) into ${dir}`);
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GOOS: 'js',
      GOARCH: 'wasm',
      GOROOT: tc.goroot,
      GOTOOLCHAIN: 'local',
      GOFLAGS: '',
      GOWORK: 'off',
      CGO_ENABLED: '0',
    };
    delete env[`ORCHESTRION_JOBSERVER_URL`];
    delete env.TOOLEXEC_IMPORTPATH;
    const goBin = path.join(tc.goroot, 'bin', 'go');
    const patchFlags = await patchedDstFlags(goBin, HELPERS_DIR, env, patchDir);
    await execa(goBin, ['build', '-trimpath', ...patchFlags, '-o', path.join(tmp, 'injector.wasm'), '.'], {
      cwd: HELPERS_DIR,
      env,
      extendEnv: false,
    });
    const execSrc = [path.join(tc.goroot, 'lib', 'wasm', 'wasm_exec.js'), path.join(tc.goroot, 'misc', 'wasm', 'wasm_exec.js')].find((p) =>
      fs.existsSync(p),
    );
    if (!execSrc) throw new Error(`no wasm_exec.js in ${tc.goroot}/lib/wasm or misc/wasm`);
    fs.copyFileSync(execSrc, path.join(tmp, 'wasm_exec.js'));
    fs.rmSync(patchDir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      // Another process won the race: its copy is as good as ours.
      if (!fs.existsSync(path.join(dir, 'injector.wasm'))) throw err;
    }
    log(`built the wasm injector in ${Date.now() - t0} ms`);
    pruneOtherBuilds(dir, tc.version);
    return filesIn(dir);
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`building the wasm injector with ${tc.version} failed: ${e.stderr?.trim() || e.message}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Removes the temporary directories of builds whose process is gone (killed before its clean-up ran). */
function removeAbandonedBuilds(parent: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /\.tmp-(\d+)-\d+$/.exec(name)?.[1];
    if (pid !== undefined && !pidExists(Number(pid))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Removes modules built by the same Go version from older go-helpers sources: they can never be used again. */
function pruneOtherBuilds(keep: string, version: string): void {
  const parent = path.dirname(keep);
  for (const name of fs.readdirSync(parent)) {
    const p = path.join(parent, name);
    if (p !== keep && name.startsWith(`${version}-`) && !name.includes('.tmp-')) fs.rmSync(p, { recursive: true, force: true });
  }
}
