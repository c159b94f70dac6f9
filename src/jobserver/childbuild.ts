// A child build: `go list -e -deps -export` of some packages through orchestrion's toolexec, so that
// they and their dependencies are compiled woven by the job server at the environment's
// ORCHESTRION_JOBSERVER_URL (or found in GOCACHE), exactly as the user's build compiles them. The
// job server resolves injected packages with it (`packages.resolve`); `orchestrion instrument`
// gets the export data of the packages it weaves with it. Each caller words the failures its way.
import * as fs from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { jsonStream } from '../config/injectables.ts';
import { goQuote } from '../gocommand.ts';

export interface ChildBuildOptions {
  /** Build flags shared with the user's build (`childBuildArgs`): -tags, -mod, -trimpath, … */
  flags: string[];
  /** The orchestrion executable (`<bin> toolexec` is the -toolexec). */
  bin: string;
  cwd: string;
  /** The complete environment (JOBSERVER_ENV included); nothing of this process's is added. */
  env: NodeJS.ProcessEnv;
  /**
   * The user's build runs with -work: so does the child, and its WORK directory is kept too. When
   * `workParent` is a directory (the user's build's $WORK), the child's goes inside it (GOTMPDIR),
   * so one `-work` tree holds every file a build wove; otherwise in the usual temporary directory.
   */
  keepWork?: { workParent?: string };
  /** Called with the running go command (the job server kills them when it closes). */
  started?: (child: ResultPromise) => void;
}

export interface ChildBuildResult {
  /** Import path → export data, for every listed package that has it. */
  archives: Map<string, string>;
  /** Import path → its dependencies (go list's Deps: the whole closure), for those packages. */
  deps: Map<string, string[]>;
  /** Packages go list reports an error for, with go's words. */
  errors: { importPath: string; err: string }[];
  /** Packages (neither unsafe nor C) listed without export data: downstream of a failed compile. */
  missing: string[];
  exitCode: number;
  /** go's standard error (the failed compiles' output), without the `WORK=` line of -work. */
  stderr: string;
  /** With `keepWork`: the child's WORK directory, kept. */
  work?: string;
}

/** Packages the compiler never gets as sources: no export data. */
export const PSEUDO = new Set(['C', 'unsafe']);

export async function childBuild(pkgs: string[], opts: ChildBuildOptions): Promise<ChildBuildResult> {
  const env = { ...opts.env };
  const args = ['list', '-e', '-deps', '-export', '-json=ImportPath,Export,Deps,Error', ...opts.flags];
  if (opts.keepWork) {
    args.push('-work');
    const parent = opts.keepWork.workParent;
    if (parent && fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory()) env.GOTMPDIR = parent;
  }
  args.push('-toolexec', `${goQuote(opts.bin)} toolexec`, '--', ...pkgs);
  const child = execa('go', args, { cwd: opts.cwd, env, extendEnv: false, reject: false });
  opts.started?.(child);
  const res = await child;
  const result: ChildBuildResult = { archives: new Map(), deps: new Map(), errors: [], missing: [], exitCode: res.exitCode ?? -1, stderr: res.stderr };
  if (opts.keepWork) {
    const m = /^WORK=(.*)\n?/m.exec(res.stderr);
    if (m) {
      result.work = m[1];
      result.stderr = res.stderr.slice(0, m.index) + res.stderr.slice(m.index + m[0].length);
    }
  }
  for (const raw of jsonStream(res.stdout)) {
    const p = raw as { ImportPath: string; Export?: string; Deps?: string[]; Error?: { Err: string } };
    if (p.Error) result.errors.push({ importPath: p.ImportPath, err: p.Error.Err });
    else if (p.Export) {
      result.archives.set(p.ImportPath, p.Export);
      result.deps.set(p.ImportPath, p.Deps ?? []);
    }
    else if (!PSEUDO.has(p.ImportPath)) result.missing.push(p.ImportPath);
  }
  return result;
}
