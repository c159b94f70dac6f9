// Running the real Go tools with execa: stdio, cwd and environment exactly as cmd/go gave them.
import { execa } from 'execa';

/** Runs the tool; resolves with its exit status (1 when it died by a signal). */
export async function runTool(args: string[]): Promise<number> {
  const r = await execa(args[0]!, args.slice(1), { stdio: 'inherit', reject: false });
  if (r.failed && r.exitCode === undefined && r.cause) {
    throw new Error(`running ${args[0]}: ${(r.cause as Error).message}`);
  }
  return r.exitCode ?? 1;
}

/** Runs the tool and returns its standard output (standard error passes through). */
export async function toolOutput(args: string[]): Promise<string> {
  const r = await execa(args[0]!, args.slice(1), { stdin: 'inherit', stderr: 'inherit', reject: false });
  if (r.exitCode !== 0) throw Object.assign(new Error(`${args[0]} ${args.slice(1).join(' ')}: exit status ${r.exitCode ?? 'signal'}`), { exitCode: r.exitCode ?? 1 });
  return r.stdout;
}
