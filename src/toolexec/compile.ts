// The compile step: ask the job server to instrument the package, write the modified files into the
// build's work directory, substitute them on the command line, add the packages the advice injects
// to the -importcfg (resolved by the job server), run the real compiler, and record in the archive
// the link-time dependencies (`link.deps`) the linker will need.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '../jobserver/client.ts';
import { RESOLVE_CHAIN_ENV, type Diagnostic, type GeneratedOrigin } from '../jobserver/protocol.ts';
import { appendMember } from './archive.ts';
import { compareGoVersions, flagValue, positionals, withFlag, type ParsedCommand } from './argv.ts';
import { formatImportConfig, parseImportConfig, provides, type ImportConfig } from './importcfg.ts';
import { LINK_DEPS_MEMBER, LinkDeps } from './linkdeps.ts';
import { runTool, spawnTool } from './run.ts';

const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', loong64: 'loong64', riscv64: 'riscv64' };

/** Labels of the artifacts a compile produces, shared through build.start / build.finish. */
const ARCHIVE = '_pkg_.a';
const ASMHDR = 'go_asm.h';
/** The file that makes a main package import its link-time dependencies (Orchestrion's name). */
export const LINK_DEPS_FILE = 'link_deps_imports.go';

export class UserError extends Error {}

function formatDiagnostic(d: Diagnostic): string {
  const pos = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${pos}: ${d.aspect ? `aspect ${JSON.stringify(d.aspect)}: ` : ''}${d.message}`;
}

export function resolveChain(): string[] {
  const raw = process.env[RESOLVE_CHAIN_ENV];
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes an updated importcfg in place, keeping the original next to it (once). */
export function rewriteImportConfig(file: string, cfg: ImportConfig): void {
  const backup = `${file}.original`;
  if (!fs.existsSync(backup)) fs.copyFileSync(file, backup);
  fs.writeFileSync(file, formatImportConfig(cfg));
}

/**
 * Adds `packages` and what they need to `cfg` through the job server, following the link.deps of
 * every archive added (a work list: those may name further packages). Returns the link.deps
 * discovered on the way that `cfg` still does not satisfy.
 */
export async function resolveInto(client: Client, importPath: string, cfg: ImportConfig, packages: string[], all: boolean): Promise<LinkDeps> {
  const found = new LinkDeps();
  // What the importcfg held before resolution: a package resolved below (say, reached only through
  // the link.deps of an injected package) stays a link-time dependency, so main imports it.
  const before: ImportConfig = { ...cfg, packageFiles: new Map(cfg.packageFiles) };
  let pending = packages.filter((p) => !provides(cfg, p));
  const asked = new Set<string>();
  while (pending.length > 0) {
    for (const p of pending) asked.add(p);
    const { archives } = await client.call('packages.resolve', { importPath, chain: resolveChain(), packages: pending });
    const next = new Set<string>();
    for (const [p, archive] of Object.entries(archives)) {
      if (provides(cfg, p)) continue;
      cfg.packageFiles.set(p, archive);
      for (const [dep, kind] of LinkDeps.fromArchive(archive).deps) {
        found.add(dep, kind);
        if (all && !provides(cfg, dep) && !asked.has(dep)) next.add(dep);
      }
    }
    pending = [...next].filter((p) => !provides(cfg, p));
  }
  for (const [p] of found.deps) if (provides(before, p)) found.deps.delete(p);
  return found;
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
    const start = await client.call('build.start', { importPath, buildID, chain: resolveChain() });
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

    const cfg = parseImportConfig(fs.readFileSync(importcfg, 'utf8'), importcfg);
    const original = new Set(cfg.packageFiles.keys());
    // What this package's imports carry, and what its own advice adds.
    const linkDeps = LinkDeps.inherited(cfg);
    const injected: string[] = [];
    const aspectOf = new Map<string, string>();
    for (const ref of res.references) {
      if (ref.path === 'unsafe' || provides(cfg, ref.path)) continue;
      linkDeps.add(ref.path, ref.kind);
      aspectOf.set(ref.path, ref.aspect);
      // A package only reached through //go:linkname is resolved at link time (or by main): resolving
      // it here could need this very package and cycle.
      if (ref.kind === 'import') injected.push(ref.path);
    }
    const isMain = pkg === 'main';
    const toResolve = isMain ? linkDeps.entries().map(([p]) => p) : injected;
    if (toResolve.length > 0) {
      try {
        linkDeps.addAll(await resolveInto(client, importPath, cfg, toResolve, isMain));
      } catch (err) {
        const names = toResolve.filter((p) => aspectOf.has(p)).map((p) => `aspect ${JSON.stringify(aspectOf.get(p))} injects "${p}"`);
        throw new UserError(`${importPath}: ${names.length > 0 ? `${names.join('; ')}: ` : ''}${(err as Error).message}`);
      }
      rewriteImportConfig(importcfg, cfg);
    }

    let args = cmd.args;
    // Modified file on the command line → the aspects of its generated regions.
    const origins = new Map<string, GeneratedOrigin[]>();
    if (res.files.length > 0) {
      const byOriginal = new Map(res.files.map((f) => [f.path, f.content]));
      const dir = path.join(path.dirname(output), 'orchestrion', 'src', pkg);
      fs.mkdirSync(dir, { recursive: true });
      args = args.map((a, i) => {
        if (i < cmd.firstPositional || !a.endsWith('.go')) return a;
        const content = byOriginal.get(path.resolve(a));
        if (content === undefined) return a;
        const modified = path.join(dir, path.basename(a));
        fs.writeFileSync(modified, content);
        const generated = res.files.find((f) => f.path === path.resolve(a))?.generated;
        if (generated && generated.length > 0) origins.set(modified, generated);
        return modified;
      });
      const lang = flagValue(cmd, 'lang');
      if (res.langLevel && lang && compareGoVersions(res.langLevel, lang) > 0) args = withFlag(cmd, args, 'lang', res.langLevel);
    }
    if (isMain) {
      // Make main import every link-time dependency, so the linker loads them and runs their init.
      const added = linkDeps.entries().map(([p]) => p).filter((p) => !original.has(p) && cfg.packageFiles.has(p));
      if (added.length > 0) {
        const dir = path.join(path.dirname(output), 'orchestrion', 'src', 'synthetic');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, LINK_DEPS_FILE);
        fs.writeFileSync(file, `package main\n\nimport (\n${added.map((p) => `\t_ ${JSON.stringify(p)}\n`).join('')})\n`);
        args = [...args, file];
      }
    }

    const code = origins.size > 0 ? await compileNamingAspects(cmd, args, origins) : await runTool(args);
    if (code === 0 && linkDeps.size > 0) appendMember(output, LINK_DEPS_MEMBER, linkDeps.format());
    if (code === 0) await finish({ artifacts: { [ARCHIVE]: output, ...(asmhdr ? { [ASMHDR]: asmhdr } : {}) } });
    else await finish({ error: `compiling ${importPath} failed (exit status ${code})` });
    return code;
  } catch (err) {
    await finish({ error: (err as Error).message }).catch(() => {});
    throw err;
  }
}

const GENERATED_DIRECTIVE = /^\/\/line <generated>:1$/gm;
const TAGGED_POSITION = /^<generated (\d+)>(:\d+(?::\d+)?: )(.*)$/gm;

/**
 * Runs the compiler on a package with generated code. When it fails on generated code
 * (`<generated>:2: undefined: x`), it runs once more on copies whose `//line <generated>:1`
 * directives are numbered, to tell which region — hence which aspect — each error is in, and prints
 * the compiler's messages with the aspect and its orchestrion.yml added.
 */
async function compileNamingAspects(cmd: ParsedCommand, args: string[], origins: Map<string, GeneratedOrigin[]>): Promise<number> {
  // The compiler prints its diagnostics on standard output.
  const first = await spawnTool(args[0]!, args.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
  const code = first.code ?? 1;
  const passOn = () => {
    process.stdout.write(first.stdout);
    process.stderr.write(first.stderr);
    return code;
  };
  if (code === 0 || !first.stdout.includes('<generated>:')) return passOn();
  const output = flagValue(cmd, 'o')!;
  const dir = path.join(path.dirname(output), 'orchestrion', 'diagnose');
  fs.mkdirSync(dir, { recursive: true });
  const regions: GeneratedOrigin[] = [];
  const tagged = withFlag(cmd, args, 'o', path.join(dir, '_pkg_.a')).map((a) => {
    const aspects = origins.get(a);
    if (!aspects) return a;
    let i = 0;
    const content = fs.readFileSync(a, 'utf8').replace(GENERATED_DIRECTIVE, (line) => {
      const origin = aspects[i++];
      if (!origin) return line;
      regions.push(origin);
      return `//line <generated ${regions.length - 1}>:1`;
    });
    const copy = path.join(dir, path.basename(a));
    fs.writeFileSync(copy, content);
    return copy;
  });
  const again = await spawnTool(tagged[0]!, tagged.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] }).catch(() => undefined);
  if (!again || again.code === 0 || !/^<generated \d+>:/m.test(again.stdout)) return passOn();
  process.stderr.write(first.stderr);
  process.stdout.write(
    again.stdout.replace(TAGGED_POSITION, (line, k: string, pos: string, msg: string) => {
      const origin = regions[Number(k)];
      if (!origin) return line;
      return `<generated>${pos}${msg} (in code generated by aspect ${JSON.stringify(origin.aspect)}${origin.file ? ` of ${origin.file}` : ''})`;
    }),
  );
  return code;
}

function copyArtifact(artifacts: Record<string, string>, label: string, dest: string): void {
  const src = artifacts[label];
  if (!src) throw new Error(`missing "${label}" object in re-usable artifacts`);
  fs.copyFileSync(src, dest);
}
