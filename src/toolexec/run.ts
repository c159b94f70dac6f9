// Running the real Go tools: stdio, cwd and environment exactly as cmd/go gave them. This runs in
// every toolexec process, so it uses node:child_process, not execa: loading execa and its spawn
// path cost ~60 ms per process (measured: `go version` from a fresh Node, 130 ms with execa,
// 70 ms without), hundreds of times per build. The job server's own go commands use execa.
import { spawn, type StdioOptions } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the child wrote where stdio was 'pipe'. */
  stdout: string;
  stderr: string;
}

/** Spawns `file args…`; rejects when it cannot start (ENOENT, EACCES: `code` kept on the error). */
export function spawnTool(file: string, args: string[], opts: { stdio: StdioOptions; env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: opts.stdio, env: opts.env, cwd: opts.cwd, signal: opts.signal });
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => chunks.push(b));
    child.stderr?.on('data', (b: Buffer) => errChunks.push(b));
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') return; // the close event reports the killed child
      reject(err);
    });
    child.once('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8') }));
  });
}

/** Runs the tool; resolves with its exit status (1 when it died by a signal). */
export async function runTool(args: string[]): Promise<number> {
  let r: Exit;
  try {
    r = await spawnTool(args[0]!, args.slice(1), { stdio: 'inherit' });
  } catch (err) {
    throw new Error(`running ${args[0]}: ${(err as Error).message}`);
  }
  return r.code ?? 1;
}

/** Runs the tool and returns its standard output (standard error passes through). */
export async function toolOutput(args: string[]): Promise<string> {
  let r: Exit;
  try {
    r = await spawnTool(args[0]!, args.slice(1), { stdio: ['inherit', 'pipe', 'inherit'] });
  } catch (err) {
    throw new Error(`running ${args[0]}: ${(err as Error).message}`);
  }
  if (r.code !== 0) throw Object.assign(new Error(`${args[0]} ${args.slice(1).join(' ')}: exit status ${r.code ?? r.signal}`), { exitCode: r.code ?? 1 });
  return r.stdout;
}
