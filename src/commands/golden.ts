import { Args, Command, Flags } from '@oclif/core';
import { findCases } from '../golden/cases.ts';
import { runCase, type CaseResult } from '../golden/runner.ts';
import { stripToolexec } from '../goflags.ts';
import { InjectorPool } from '../pool/pool.ts';
import { ensureWasm, pathToolchain } from '../wasm/module.ts';

export default class Golden extends Command {
  static override description = `Run injector golden cases (Orchestrion's format)

Each path is a case directory (config.yml + modified.go.snap) or a directory of such cases. Every case
is injected in a temporary module (go mod tidy, export data from go list -export) by the same wasm
injector the build uses, normalised and compared byte for byte; synthetic references and the required
language level are checked too. Prints one line per case (a unified diff on failure) and ends with
"N passed, N failed"; exits non-zero when a case fails.`;
  static override strict = false;
  static override args = { paths: Args.string({ description: 'case directories or directories of cases', required: true }) };
  static override flags = {
    build: Flags.boolean({ description: 'also compile each modified file (downloads what it imports)' }),
    jobs: Flags.integer({ char: 'j', description: 'cases run at once', default: 2, min: 1 }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Golden);
    const dirs = findCases(argv as string[]);
    if (dirs.length === 0) this.error(`no golden cases (directories with config.yml) under ${argv.join(', ')}`, { exit: 2 });
    const env: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: stripToolexec(process.env.GOFLAGS), GOWORK: 'off' };
    delete env.ORCHESTRION_JOBSERVER_URL;
    let toolchain;
    try {
      toolchain = await pathToolchain(process.cwd(), env);
    } catch (err) {
      this.logToStderr(`orchestrion: ${(err as Error).message}`);
      this.exit(1);
    }
    const pool = new InjectorPool(await ensureWasm(toolchain));
    const results: (CaseResult | undefined)[] = new Array(dirs.length);
    let printed = 0;
    const flush = () => {
      while (printed < dirs.length && results[printed]) {
        const r = results[printed++]!;
        this.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${Math.round(r.ms)} ms)`);
        for (const p of r.problems) this.log(p.replace(/^/gm, '    '));
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < dirs.length) {
        const i = next++;
        results[i] = await runCase(dirs[i]!, pool, { build: flags.build, env });
        flush();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(flags.jobs, dirs.length) }, worker));
    } finally {
      await pool.close();
    }
    const failed = results.filter((r) => !r!.ok).length;
    this.log(`${dirs.length - failed} passed, ${failed} failed`);
    if (failed > 0) this.exit(1);
  }
}
