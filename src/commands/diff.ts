import * as path from 'node:path';
import { Command, Flags } from '@oclif/core';
import { PROJECT_ROOT } from '../version.ts';

export default class Diff extends Command {
  static override description = `Generates a diff between a nominal and orchestrion-instrumented build

Reads the work directory of an instrumented build (orchestrion go build -work -a; -a so that every package is compiled, and woven, in it) and prints, for each file the build wove, a unified diff between the original file and the one the compiler got. White space, blank lines and //line directives alone do not make a hunk. The work directory is the argument, or --build runs the build first: orchestrion go build -work [-a with -no-cache] with the arguments that follow the flags (default ./...; build is put in front unless they start with build, install or test), go's output passed on; the work directory is kept, as go keeps it. Not for builds with coverage flags.

Without -debug, what is woven into dd-trace-go and orchestrion themselves (only tracer-internal aspects apply there) and the synthetic package of link-time imports are left out. -filter keeps the files whose path in the work directory (bNNN/orchestrion/src/<import path>/<file>) matches a regular expression. -package prints the import paths, -files the files as "original -> woven".

orchestrion instrument serves most of the same needs better: it prints the same diffs without a full build (only the packages asked for, with the build's own flags), and -explain tells for each aspect why it applied or not.`;
  static override strict = false;
  static override usage = ['diff [-files | -package] [-filter RE] [-debug] <work dir>', 'diff --build [-no-cache] [-files | -package] [-filter RE] [-debug] [go build arguments...]'];
  static override flags = {
    files: Flags.boolean({ description: 'Only show file paths created by orchestrion instead of diff output' }),
    filter: Flags.string({ description: 'Filter the diff to a regex matched on the package or file paths from the build.', helpValue: 'RE' }),
    package: Flags.boolean({ description: 'Print package names instead of printing the diff' }),
    debug: Flags.boolean({ description: 'Also print synthetic and tracer weaved packages' }),
    build: Flags.boolean({ description: 'Execute a build with -work before generating the diff. All remaining arguments after flags are passed to the build command.' }),
    'no-cache': Flags.boolean({ description: 'Force a rebuild of all packages when using --build (adds -a flag).' }),
  };
  static override examples = [
    '<%= config.bin %> diff --build -no-cache ./cmd/server',
    '<%= config.bin %> diff -package $WORK',
    '<%= config.bin %> diff -filter net/http -debug $WORK',
  ];

  async run(): Promise<void> {
    // Loaded on use: the command table is read by every command, `orchestrion go` included.
    const { parseDiffArgs, buildCommandLine, buildForWorkDir } = await import('../diff/build.ts');
    const { readWorkDir, byImportPath, packagesOf, filterByRegex, hiddenUnlessDebug, importPathOf, describeFile } = await import('../diff/workdir.ts');
    let args;
    try {
      args = parseDiffArgs(this.argv);
    } catch (err) {
      this.logToStderr(`orchestrion diff: ${(err as Error).message}`);
      this.exit(2);
    }
    if (args.help) return this.config.runCommand('help', ['diff']);

    let workDir: string;
    if (args.build) {
      const bin = process.env.ORCHESTRION_BIN || path.join(PROJECT_ROOT, 'bin', 'orchestrion');
      try {
        workDir = await buildForWorkDir(bin, buildCommandLine(args.rest, args.noCache), process.stderr);
      } catch (err) {
        this.logToStderr((err as Error).message);
        this.exit(1);
      }
    } else if (args.rest.length === 1) {
      workDir = args.rest[0]!;
    } else {
      this.logToStderr(
        args.rest.length === 0
          ? 'orchestrion diff: no work directory: give the one `orchestrion go build -work -a` printed (WORK=…), or use --build'
          : `orchestrion diff: one work directory expected, got ${args.rest.length} arguments (go build arguments go after --build)`,
      );
      this.exit(1);
    }

    let files;
    try {
      files = readWorkDir(workDir);
    } catch (err) {
      this.logToStderr(`failed to read work dir: ${(err as Error).message} (did you forget the -work flag during build?)`);
      this.exit(1);
    }
    if (files.length === 0) {
      this.logToStderr(`no files to diff in ${workDir} (did you forget the -a flag during build?)`);
      this.exit(1);
    }
    if (!args.debug) files = files.filter((f) => !hiddenUnlessDebug(importPathOf(f)));
    if (args.filter !== '') {
      try {
        files = filterByRegex(files, args.filter);
      } catch (err) {
        this.logToStderr(`failed to filter files: ${(err as Error).message}`);
        this.exit(1);
      }
    }

    if (args.package) {
      for (const p of packagesOf(files)) this.log(p);
    } else if (args.files) {
      for (const f of byImportPath(files)) this.log(describeFile(f));
    } else {
      const { writeDiffs } = await import('../diff/report.ts');
      try {
        writeDiffs(workDir, byImportPath(files), process.stdout);
      } catch (err) {
        this.logToStderr(`failed to generate diff: ${(err as Error).message}`);
        this.exit(1);
      }
    }
  }
}
