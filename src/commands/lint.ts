import * as fs from 'node:fs';
import { Command } from '@oclif/core';
import { normalizeBoolFlags } from './single-dash.ts';

export default class Lint extends Command {
  static override description = `Checks the orchestrion configuration of Go modules

Validates what a build would load, without building: orchestrion.tool.go and the packages it imports, every orchestrion.yml (and what it extends), then each aspect's join point, advice and templates, and the packages advice injects. Whatever the build would reject is an error; what only Orchestrion's JSON Schema requires (a "meta" section, known keys, aspect ids) is printed as a warning. Each argument is a directory inside a module (a package pattern such as ./... counts as its directory); the default is the current one. Problems are printed as file:line:col: aspect "id": <where in the aspect>: <message>, and the exit status is 1.

Orchestrion's own lint command runs the errorlint analyzer over Go code instead; configuration checking is what this tool's lint is for.`;
  static override strict = false;
  static override usage = 'lint [<dir> | <dir>/...]...';
  static override examples = ['<%= config.bin %> lint', '<%= config.bin %> lint ./...'];

  async run(): Promise<void> {
    // Loaded on use: the command table is read by every command, `orchestrion go` included.
    const { lintModules } = await import('../lint/lint.ts');
    const { argv } = await this.parse(Lint, normalizeBoolFlags(this.argv, []));
    const dirs = (argv as string[]).map((a) => a.replace(/(^|\/)\.\.\.$/, '') || '.');
    for (const d of dirs) {
      if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) {
        this.logToStderr(`orchestrion: lint ${d}: no such directory`);
        this.exit(1);
      }
    }
    let results;
    try {
      results = await lintModules(dirs.length > 0 ? dirs : ['.']);
    } catch (err) {
      // Not a configuration problem (go missing, a directory outside any module): the message as it is.
      this.logToStderr(`orchestrion: ${(err as Error).message}`);
      this.exit(1);
    }
    let failed = false;
    for (const r of results) {
      for (const w of r.warnings ?? []) this.logToStderr(`warning: ${w}`);
      if (r.error !== undefined) {
        this.logToStderr(r.error);
        failed = true;
      } else {
        this.log(r.configured ? `${r.root}: configuration is valid` : `${r.root}: no orchestrion.tool.go nor orchestrion.yml: nothing to check`);
      }
    }
    if (failed) this.exit(1);
  }
}
