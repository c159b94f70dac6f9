import { Command, Flags } from '@oclif/core';
import { normalizeBoolFlags } from './single-dash.ts';

export default class Pin extends Command {
  static override description = `Registers orchestrion in your project's go.mod file

Creates or updates orchestrion.tool.go next to go.mod (build tag "tools", a //go:generate directive, blank imports of github.com/DataDog/orchestrion and of dd-trace-go's integrations), requires them in go.mod (go get, go mod edit, go mod tidy; go mod vendor when the module vendors) and removes imports of packages that declare no integration. Running it again changes nothing. Flags are Go-style: -generate=false, -prune=false, -validate (the -- forms work too).`;
  static override flags = {
    generate: Flags.boolean({
      description: 'Add a //go:generate directive to orchestrion.tool.go to facilitate automated upkeep of its contents.',
      default: true,
      allowNo: true,
    }),
    prune: Flags.boolean({
      description: 'Remove imports from orchestrion.tool.go that do not contain a valid orchestrion.yml file declaring integrations.',
      default: true,
      allowNo: true,
    }),
    validate: Flags.boolean({ description: 'Validate all orchestrion.yml files in the project.', default: false, allowNo: true }),
  };
  static override examples = ['<%= config.bin %> pin', '<%= config.bin %> pin -prune=false', '<%= config.bin %> pin -validate'];

  async run(): Promise<void> {
    // Loaded on use: the command table is read by every command, `orchestrion go` included.
    const { pinOrchestrion } = await import('../pin/pin.ts');
    const { flags } = await this.parse(Pin, normalizeBoolFlags(this.argv, ['generate', 'prune', 'validate']));
    try {
      await pinOrchestrion({ ...flags, log: (line) => this.log(line) });
    } catch (err) {
      // The message as it is (Orchestrion prints its errors unadorned): it names files and commands.
      this.logToStderr((err as Error).message);
      this.exit(1);
    }
  }
}
