// The go.mod operations of `orchestrion pin`, each a `go` command on one go.mod file (`-modfile`), as
// Orchestrion runs them: read with `go mod edit -json`, edit with `go mod edit` followed by
// `go mod tidy` (and `go mod vendor` when the module vendors), add modules with `go get`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { GO_NOT_FOUND, isNotFound } from '../gocommand.ts';

/** What pin reads from go.mod (the fields of `go mod edit -json` it uses). */
export interface GoModFile {
  Go?: string;
  Toolchain?: string;
  Require?: { Path: string; Version: string; Indirect?: boolean }[];
}

/** The version of `modulePath` required by `mod`, if any. */
export function requiredVersion(mod: GoModFile, modulePath: string): string | undefined {
  return mod.Require?.find((r) => r.Path === modulePath)?.Version;
}

export class GoMod {
  readonly file: string;
  private readonly env: NodeJS.ProcessEnv;

  /**
   * `env` is the caller's environment; GOTOOLCHAIN=local (never switch toolchains behind the user's
   * back) and GOWORK=off (`-modfile` is refused in workspace mode) are forced, as Orchestrion does.
   */
  constructor(file: string, env: NodeJS.ProcessEnv) {
    this.file = file;
    this.env = { ...env, GOTOOLCHAIN: 'local', GOWORK: 'off' };
  }

  private async go(args: string[], capture = false): Promise<string> {
    const r = await execa('go', args, {
      cwd: path.dirname(this.file),
      env: this.env,
      extendEnv: false,
      stdin: 'inherit',
      stdout: capture ? 'pipe' : 'inherit',
      stderr: 'inherit',
      reject: false,
    });
    if (isNotFound(r)) throw new Error(`${GO_NOT_FOUND} (go ${args[0]} failed: go: not found)`);
    if (r.exitCode !== 0) throw new Error(`running \`go ${args.join(' ')}\`: ${r.exitCode === undefined ? r.message : `exit status ${r.exitCode}`}`);
    return capture ? String(r.stdout) : '';
  }

  private mod(command: string, args: string[] = [], capture = false): Promise<string> {
    return this.go(['mod', command, '-modfile', this.file, ...args], capture);
  }

  async parse(): Promise<GoModFile> {
    return JSON.parse(await this.mod('edit', ['-json'], true)) as GoModFile;
  }

  /** `go get -modfile <go.mod> <module@version…>`. */
  async get(...modules: string[]): Promise<void> {
    await this.go(['get', '-modfile', this.file, ...modules]);
  }

  async tidy(): Promise<void> {
    await this.mod('tidy');
  }

  /**
   * Applies `go mod edit` flags (`-require=…`, `-go=…`, `-toolchain=…`), then tidies the module and
   * refreshes `vendor/` if there is one. Nothing at all runs when there is no edit.
   */
  async edit(flags: string[]): Promise<void> {
    if (flags.length === 0) return;
    await this.mod('edit', flags);
    await this.tidy();
    if (fs.statSync(path.join(path.dirname(this.file), 'vendor'), { throwIfNoEntry: false })?.isDirectory()) await this.mod('vendor');
  }
}
