import { Command, Flags } from '@oclif/core';
import { toolVersion } from '../version.ts';

export default class Version extends Command {
  static override description = 'Print the version of orchestrion';
  static override enableJsonFlag = true;
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'also print the Node.js version and platform it runs on' }),
  };

  async run(): Promise<{ version: string; node: string; platform: string }> {
    const { flags } = await this.parse(Version);
    const info = { version: `v${toolVersion()}`, node: process.version, platform: `${process.platform}/${process.arch}` };
    this.log(`orchestrion ${info.version}${flags.verbose ? ` built with node ${info.node} (${info.platform})` : ''}`);
    return info;
  }
}
