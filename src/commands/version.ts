import { Command, Flags } from '@oclif/core';
import { toolVersion } from '../version.ts';
import { normalizeBoolFlags } from './single-dash.ts';

export default class Version extends Command {
  static override description = `Displays this command's version information

Prints "orchestrion <version>" as Orchestrion does, with this tool's version (package.json). -static prints the static version tag; this tool has no build information that could differ from it, so the output is the same. -verbose (-v) adds the runtime it runs on: "built with node <version> (<os>/<arch>)".`;
  static override enableJsonFlag = true;
  static override flags = {
    static: Flags.boolean({ description: 'only display the static version tag', allowNo: true, hidden: true }),
    verbose: Flags.boolean({ char: 'v', description: 'also display the runtime this command runs on', allowNo: true, hidden: true }),
  };

  async run(): Promise<{ version: string; node: string; platform: string }> {
    const { flags } = await this.parse(Version, normalizeBoolFlags(this.argv, ['static', 'verbose']));
    const info = { version: `v${toolVersion()}`, node: process.version, platform: `${process.platform}/${process.arch}` };
    this.log(`orchestrion ${info.version}${flags.verbose ? ` built with node ${info.node} (${info.platform})` : ''}`);
    return info;
  }
}
