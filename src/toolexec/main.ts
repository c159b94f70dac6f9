// The per-call toolexec entry, bundled to dist/toolexec.cjs: `orchestrion toolexec <tool> <args…>`.
// It runs hundreds of times per build, so it loads no CLI framework; tools other than compile and
// link are handed straight to the real tool (process.execve replaces this process where available).
import { spawnSync } from 'node:child_process';
import { parseCommand, toolKind } from './argv.ts';

const args = process.argv.slice(2);

function passThrough(argv: string[]): never {
  const execve = (process as unknown as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (execve) execve(argv[0]!, argv, process.env);
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`orchestrion toolexec: running ${argv[0]}: ${r.error.message}\n`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}

async function main(): Promise<number> {
  if (args.length === 0) throw new Error('unexpected empty command arguments');
  if (toolKind(args[0]!) === 'other') passThrough(args);
  const cmd = parseCommand(args);
  const { connectJobServer } = await import('./connect.ts');
  const connect = () => connectJobServer(__dirname);
  if (cmd.showVersion) {
    const { toolOutput } = await import('./run.ts');
    const { versionLine } = await import('./version-line.ts');
    const own = await toolOutput(args);
    const client = await connect();
    const { suffix } = await client.call('version.suffix', { tool: args[0]! });
    client.close();
    process.stdout.write(versionLine(own, suffix) + '\n');
    return 0;
  }
  if (cmd.kind === 'compile') {
    const { compile } = await import('./compile.ts');
    return compile(cmd, connect);
  }
  const { runTool } = await import('./run.ts');
  return runTool(args);
}

main().then(
  (code) => process.exit(code),
  (err: Error & { exitCode?: number }) => {
    process.stderr.write(`orchestrion: ${err.message}\n`);
    process.exit(err.exitCode ?? 1);
  },
);
