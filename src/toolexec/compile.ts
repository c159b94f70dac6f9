// The compile step: ask the job server to instrument the package, write the modified files into the
// build's work directory, substitute them on the command line, add the packages the advice injects
// to the -importcfg (resolved by the job server), run the real compiler, and record in the archive
// the link-time dependencies (`link.deps`) the linker will need.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '../jobserver/client.ts';
import type { GeneratedOrigin } from '../jobserver/protocol.ts';
import { GATE_DIR_ENV, recordArchiveDeps, recordActionDeps, recordCachedArchiveDeps, recordEmptyArchives, recordLinkAdditions } from '../jobserver/compile-gate.ts';
import { logEvent } from '../log.ts';
import { appendMember, readMember } from '../gobuild/archive.ts';
import { flagValue, positionals, withFlag, type ParsedCommand } from './argv.ts';
import { LINK_DEPS_MEMBER } from '../gobuild/linkdeps.ts';
import { runTool, spawnTool } from './run.ts';
import { resolveChain, weave } from './weave.ts';

export { goWorkDir, resolveInto, rewriteImportConfig } from './weave.ts';

const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', loong64: 'loong64', riscv64: 'riscv64' };

/** Labels of the artifacts a compile produces, shared through build.start / build.finish. */
const ARCHIVE = '_pkg_.a';
const ASMHDR = 'go_asm.h';

export async function compile(cmd: ParsedCommand, connect: () => Promise<Client>): Promise<number> {
  const importcfg = flagValue(cmd, 'importcfg');
  const output = flagValue(cmd, 'o');
  const goFiles = positionals(cmd).filter((f) => f.endsWith('.go'));
  if (!importcfg || !output || goFiles.length === 0) return runTool(cmd.args);

  const pkg = flagValue(cmd, 'p') ?? 'main';
  const importPath = process.env.TOOLEXEC_IMPORTPATH || pkg;
  const buildID = flagValue(cmd, 'buildid');
  const asmhdr = flagValue(cmd, 'asmhdr');
  const t0 = performance.now();
  const client = await connect();
  const connected = performance.now();

  let token: string | undefined;
  if (buildID) {
    const start = await client.call('build.start', { importPath, buildID, chain: resolveChain() });
    if ('reuse' in start) {
      // Another process of this build compiled it already: take its outputs.
      copyArtifact(start.reuse, ARCHIVE, output);
      if (asmhdr) copyArtifact(start.reuse, ASMHDR, asmhdr);
      // Its importers read the gate's record of what it carries (src/jobserver/compile-gate.ts).
      const gate = process.env[GATE_DIR_ENV];
      const carried = gate ? readMember(output, LINK_DEPS_MEMBER) : undefined;
      if (gate && carried) recordArchiveDeps(gate, path.resolve(output), carried.toString('utf8'));
      if (gate) recordActionDeps(gate, buildID, carried?.toString('utf8') ?? '');
      return 0;
    }
    token = start.token;
  }
  const started = performance.now();
  const finish = async (outcome: { artifacts: Record<string, string> } | { error: string }) => {
    if (token && buildID) await client.call('build.finish', { importPath, buildID, token, ...outcome });
  };

  try {
    const w = await weave(client, {
      importPath,
      packageName: pkg,
      files: goFiles.map((f) => path.resolve(f)),
      importcfg: path.resolve(importcfg),
      lang: flagValue(cmd, 'lang') ?? '',
      standardLibrary: flagValue(cmd, 'std') === 'true',
      goos: process.env.GOOS || GOOS[process.platform] || process.platform,
      goarch: process.env.GOARCH || GOARCH[process.arch] || process.arch,
      tool: cmd.args[0]!,
      outDir: path.dirname(output),
    });
    const linkDeps = w.linkDeps;
    const gate = process.env[GATE_DIR_ENV];
    // What this compile learnt of go's cached archives opens the gate to their importers.
    if (gate) {
      recordEmptyArchives(gate, w.withoutLinkDeps);
      recordCachedArchiveDeps(gate, w.withLinkDeps);
    }
    // The modified files take the originals' places on the command line; each maps to the aspects
    // of its generated regions.
    const byOriginal = new Map(w.files.map((f) => [f.original, f]));
    const origins = new Map<string, GeneratedOrigin[]>();
    let args = cmd.args.map((a, i) => {
      const woven = i >= cmd.firstPositional && a.endsWith('.go') ? byOriginal.get(path.resolve(a)) : undefined;
      if (!woven) return a;
      if (woven.generated && woven.generated.length > 0) origins.set(woven.woven, woven.generated);
      return woven.woven;
    });
    if (w.lang) args = withFlag(cmd, args, 'lang', w.lang);
    if (w.syntheticFile) args = [...args, w.syntheticFile];

    const compilerStart = performance.now();
    const code = origins.size > 0 ? await compileNamingAspects(cmd, args, origins) : await runTool(args);
    const compilerEnd = performance.now();
    if (code === 0 && linkDeps.size > 0) {
      const text = linkDeps.format();
      appendMember(output, LINK_DEPS_MEMBER, text);
      // Before go (or another process, through build.start) can hand the archive to an importer.
      if (gate) recordArchiveDeps(gate, path.resolve(output), text);
      if (gate && buildID) recordActionDeps(gate, buildID, text);
    } else if (code === 0 && gate && buildID) recordActionDeps(gate, buildID, '');
    // What this main package's link needs besides cmd/go's importcfg: bin/orchestrion's link gate.
    if (code === 0 && gate && pkg === 'main') recordLinkAdditions(gate, path.resolve(output), w.added);
    if (code === 0) await finish({ artifacts: { [ARCHIVE]: output, ...(asmhdr ? { [ASMHDR]: asmhdr } : {}) } });
    else await finish({ error: `compiling ${importPath} failed (exit status ${code})` });
    // Where a compile's time goes (the debug log): the process's start, the job server, weaving
    // (the instrument request, then resolving injected packages), the compiler, recording.
    logEvent('toolexec.compile', {
      importPath,
      startMs: Math.round(t0),
      connectMs: Math.round(connected - t0),
      buildStartMs: Math.round(started - connected),
      instrumentMs: Math.round(w.instrumentedAt - started),
      resolveMs: Math.round(w.resolvedAt - w.instrumentedAt),
      writeMs: Math.round(compilerStart - w.resolvedAt),
      compilerMs: Math.round(compilerEnd - compilerStart),
      finishMs: Math.round(performance.now() - compilerEnd),
    });
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
