// Shared helpers of the end-to-end tests: temporary modules, real go commands, the built CLI.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin', 'orchestrion');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Directories removed when the process exits, by one listener (one per directory would trip Node's MaxListeners warning). */
const removeAtExit: string[] = [];
process.on('exit', () => {
  for (const dir of removeAtExit) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `orch-test-${prefix}-`));
  removeAtExit.push(dir);
  return dir;
}

/** Copies a fixture module (a directory of the repository) into a temporary directory. */
export function tempModule(fixture: string): string {
  const dir = tempDir(path.basename(fixture));
  fs.cpSync(path.join(ROOT, fixture), dir, { recursive: true });
  return dir;
}

/** Environment for go commands: the caller's, with a given GOCACHE and nothing that would redirect the build. */
/** This test process's orchestrion caches (suffix, instrumentation): never the user's, shared by its tests. */
let orchestrionCache: string | undefined;
export function testCacheDir(): string {
  if (!orchestrionCache) {
    orchestrionCache = tempDir('cache');
  }
  return orchestrionCache;
}

export function goEnv(gocache: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ORCHESTRION_JOBSERVER_URL;
  delete env.ORCHESTRION_LOG_FILE;
  delete env.ORCHESTRION_VERSION_SUFFIX;
  // A server per build unless a test asks for the persistent one (test/persistent-server.test.ts):
  // hundreds of temporary modules would otherwise each leave a server waiting for its next build.
  return { ...env, GOCACHE: gocache, GOFLAGS: '', GOTOOLCHAIN: 'local', ORCHESTRION_CACHE_DIR: testCacheDir(), ORCHESTRION_SERVER: env.ORCHESTRION_SERVER ?? 'per-build', ...extra };
}

export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Result {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Reads the JSON-lines debug log written by the job server and toolexec calls. */
export function logEvents(file: string): { event: string; importPath?: string; [k: string]: unknown }[] {
  if (!fs.existsSync(file)) return [];
  // Another process (the job server) may still be appending: only complete lines count.
  const text = fs.readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** Import paths the job server saw compiled, in order (calls that re-used another's compile excluded). */
export function compiledPackages(file: string): string[] {
  return logEvents(file)
    .filter((e) => e.event === 'build.start' && e.reuse !== true)
    .map((e) => e.importPath!);
}

/** Import paths compiled more than once in the log. */
export function compiledTwice(file: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const p of compiledPackages(file)) (seen.has(p) ? twice : seen).add(p);
  return [...twice];
}

export function describeResult(r: Result): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
