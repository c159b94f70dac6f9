// The compile/link part of the per-call toolexec entry (`orchestrion toolexec <tool> <args…>`),
// bundled to dist/toolexec-main.cjs and loaded by entry.ts. It runs for every compile and link of a
// build, so it loads no CLI framework, and execa and the job-server client only when needed.
import { VERSION_SUFFIX_ENV } from '../jobserver/protocol.ts';
import { parseCommand } from './argv.ts';

const args = process.argv.slice(2);

async function main(): Promise<number> {
  if (args.length === 0) throw new Error('unexpected empty command arguments');
  const cmd = parseCommand(args);
  const { connectJobServer } = await import('./connect.ts');
  const connect = () => connectJobServer(__dirname);
  if (cmd.showVersion) {
    const { toolOutput } = await import('./run.ts');
    const { versionLine } = await import('./version-line.ts');
    const own = await toolOutput(args);
    let suffix = process.env[VERSION_SUFFIX_ENV];
    if (!suffix) {
      const client = await connect();
      suffix = (await client.call('version.suffix', { tool: args[0]! })).suffix;
      client.close();
    }
    process.stdout.write(versionLine(own, suffix) + '\n');
    return 0;
  }
  if (cmd.kind === 'compile') {
    const { compile } = await import('./compile.ts');
    return compile(cmd, connect);
  }
  if (cmd.kind === 'link') {
    const { link } = await import('./link.ts');
    return link(cmd, connect);
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
