// Lean entry for `orchestrion go …` (dist/go.cjs), chosen by bin/orchestrion: the same command as
// the oclif one (commands/go.ts), without loading oclif, which costs more than a warm no-op build.
import * as path from 'node:path';
import { restoreUserMallocEnv } from '../malloc-tuning.ts';
import { runGoCommand } from './run.ts';

restoreUserMallocEnv();

const distDir = __dirname;
runGoCommand(process.argv.slice(2), {
  bin: process.env.ORCHESTRION_BIN || path.join(distDir, '..', 'bin', 'orchestrion'),
  distDir,
}).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`orchestrion: ${err.message}\n`);
    // 2 for a refused command line (gocommand.ts UsageError), as for any usage error.
    process.exit((err as Error & { exitCode?: number }).exitCode ?? 1);
  },
);
