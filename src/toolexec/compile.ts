// The compile step: ask the job server to instrument the package, write the modified files into the
// build's work directory, substitute them on the command line, and run the real compiler.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '../jobserver/client.ts';
import type { Diagnostic } from '../jobserver/protocol.ts';
import { compareGoVersions, flagValue, positionals, withFlag, type ParsedCommand } from './argv.ts';
import { parseImportConfig, provides } from './importcfg.ts';
import { runTool } from './run.ts';

const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', loong64: 'loong64', riscv64: 'riscv64' };

/** Labels of the artifacts a compile produces, shared through build.start / build.finish. */
const ARCHIVE = '_pkg_.a';
const ASMHDR = 'go_asm.h';

export class UserError extends Error {}

function formatDiagnostic(d: Diagnostic): string {
  const pos = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${pos}: ${d.aspect ? `aspect ${JSON.stringify(d.aspect)}: ` : ''}${d.message}`;
}

export async function compile(cmd: ParsedCommand, connect: () => Promise<Client>): Promise<number> {
  const importcfg = flagValue(cmd, 'importcfg');
  const output = flagValue(cmd, 'o');
  const goFiles = positionals(cmd).filter((f) => f.endsWith('.go'));
  if (!importcfg || !output || goFiles.length === 0) return runTool(cmd.args);

  const pkg = flagValue(cmd, 'p') ?? 'main';
  const importPath = process.env.TOOLEXEC_IMPORTPATH || pkg;
  const buildID = flagValue(cmd, 'buildid');
  const asmhdr = flagValue(cmd, 'asmhdr');
  const client = await connect();

  let token: string | undefined;
  if (buildID) {
    const start = await client.call('build.start', { importPath, buildID });
    if ('reuse' in start) {
      // Another process of this build compiled it already: take its outputs.
      copyArtifact(start.reuse, ARCHIVE, output);
      if (asmhdr) copyArtifact(start.reuse, ASMHDR, asmhdr);
      return 0;
    }
    token = start.token;
  }
  const finish = async (outcome: { artifacts: Record<string, string> } | { error: string }) => {
    if (token && buildID) await client.call('build.finish', { importPath, buildID, token, ...outcome });
  };

  try {
    const res = await client.call('instrument', {
      importPath,
      packageName: pkg,
      files: goFiles.map((f) => path.resolve(f)),
      importcfg: path.resolve(importcfg),
      lang: flagValue(cmd, 'lang') ?? '',
      goos: process.env.GOOS || GOOS[process.platform] || process.platform,
      goarch: process.env.GOARCH || GOARCH[process.arch] || process.arch,
      tool: cmd.args[0]!,
    });
    if (res.errors.length > 0) throw new UserError(res.errors.map(formatDiagnostic).join('\n'));

    let args = cmd.args;
    if (res.files.length > 0) {
      const cfg = parseImportConfig(fs.readFileSync(importcfg, 'utf8'), importcfg);
      for (const ref of res.references) {
        if (ref.path === 'unsafe' || provides(cfg, ref.path)) continue;
        throw new UserError(
          `aspect ${JSON.stringify(ref.aspect)} adds a reference to package "${ref.path}" in ${importPath}, ` +
            `which is not among its dependencies (-importcfg ${importcfg}); ` +
            `injecting packages the build does not already compile is not supported yet: import "${ref.path}" from the program`,
        );
      }
      const byOriginal = new Map(res.files.map((f) => [f.path, f.content]));
      const dir = path.join(path.dirname(output), 'orchestrion', 'src', pkg);
      fs.mkdirSync(dir, { recursive: true });
      args = args.map((a, i) => {
        if (i < cmd.firstPositional || !a.endsWith('.go')) return a;
        const content = byOriginal.get(path.resolve(a));
        if (content === undefined) return a;
        const modified = path.join(dir, path.basename(a));
        fs.writeFileSync(modified, content);
        return modified;
      });
      const lang = flagValue(cmd, 'lang');
      if (res.langLevel && lang && compareGoVersions(res.langLevel, lang) > 0) args = withFlag(cmd, args, 'lang', res.langLevel);
    }

    const code = await runTool(args);
    if (code === 0) await finish({ artifacts: { [ARCHIVE]: output, ...(asmhdr ? { [ASMHDR]: asmhdr } : {}) } });
    else await finish({ error: `compiling ${importPath} failed (exit status ${code})` });
    return code;
  } catch (err) {
    await finish({ error: (err as Error).message }).catch(() => {});
    throw err;
  }
}

function copyArtifact(artifacts: Record<string, string>, label: string, dest: string): void {
  const src = artifacts[label];
  if (!src) throw new Error(`missing "${label}" object in re-usable artifacts`);
  fs.copyFileSync(src, dest);
}
