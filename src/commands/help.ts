import { Command, loadHelpClass } from '@oclif/core';

export default class Help extends Command {
  static override description = `Display help for orchestrion, or for one of its commands

Like go help: without an argument, the list of commands; with a command name, that command's help (the same as <command> --help).`;
  static override strict = false;
  static override usage = 'help [<command>]';
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help pin'];

  async run(): Promise<void> {
    const topic = this.argv.filter((a) => a !== '--');
    if (topic.length > 0 && !this.config.findCommand(topic.join(':'))) {
      this.logToStderr(`orchestrion help ${topic.join(' ')}: unknown help topic. Run '${this.config.bin} help'.`);
      this.exit(2);
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(topic);
  }
}
