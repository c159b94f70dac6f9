// A package `orchestrion instrument` names is not built, yet a package that does not compile must
// fail the command, naming it (go list reads only imports, and the injector type-checks only what
// its aspects need). So its files — the woven ones in place of the originals, as the build would
// have them — go through the real compiler with the importcfg and -lang of the build's compile.
import { execa } from 'execa';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InstrumentError, type ListedPackage } from './golist.ts';

export interface CompileCheck {
  compiler: string;
  /** cmd/go's -p. */
  packageName: string;
  importcfg: string;
  lang: string;
  /** The compiler's files (woven ones substituted). */
  files: string[];
  /** Scratch directory for the archive and the embed configuration. */
  work: string;
  env: NodeJS.ProcessEnv;
  /** The target, for the assembler's predefined macros. */
  target: { GOROOT: string; GOOS: string; GOARCH: string; GOAMD64: string; GOARM64: string; GOARM: string };
}

/** The architecture-level macro cmd/go defines for the assembler (GOAMD64_v1, GOARM64_v8.0, GOARM_7). */
function archLevel(t: CompileCheck['target']): string[] {
  const level = t.GOARCH === 'amd64' ? t.GOAMD64 : t.GOARCH === 'arm64' ? t.GOARM64 : t.GOARCH === 'arm' ? t.GOARM.split(',')[0] : '';
  return level ? ['-D', `GO${t.GOARCH.toUpperCase()}_${level}`] : [];
}

/**
 * For a package with assembly, what cmd/go gives its compile first: the symbols' ABIs
 * (`asm -gensymabis`, with an empty go_asm.h as cmd/go writes it), without which the compiler
 * refuses `abi.FuncPCABI0` of an assembly function (the runtime), and the -asmhdr the .s files include.
 */
async function assemblyArgs(p: ListedPackage, c: CompileCheck): Promise<string[]> {
  if (!p.SFiles?.length) return [];
  const asmhdr = path.join(c.work, 'go_asm.h');
  const symabis = path.join(c.work, 'symabis');
  fs.writeFileSync(asmhdr, '');
  const asm = path.join(path.dirname(c.compiler), 'asm');
  const t = c.target;
  const args = ['-p', c.packageName, '-I', `${c.work}${path.sep}`, '-I', path.join(t.GOROOT, 'pkg', 'include'), '-D', `GOOS_${t.GOOS}`, '-D', `GOARCH_${t.GOARCH}`, ...archLevel(t), '-gensymabis', '-o', symabis, ...p.SFiles.map((f) => `.${path.sep}${f}`)];
  const r = await execa(asm, args, { cwd: p.Dir, env: c.env, extendEnv: false, reject: false, all: true });
  if (r.exitCode !== 0) throw new InstrumentError(`# ${p.ImportPath}\n${(r.all ?? '').trim() || `asm: exit status ${r.exitCode}`}`);
  return ['-symabis', symabis, '-asmhdr', asmhdr];
}

/** Whether `file` (relative to the package directory) is matched by a //go:embed pattern. */
function embedMatches(pattern: string, file: string): boolean {
  const pat = pattern.replace(/^all:/, '');
  if (file === pat || file.startsWith(`${pat}/`)) return true;
  if (!/[*?[]/.test(pat)) return false;
  // path.matchesGlob: a glob of one path element each, as Go's path.Match; a matched directory embeds its files.
  const parts = file.split('/');
  for (let n = 1; n <= parts.length; n++) if (path.matchesGlob(parts.slice(0, n).join('/'), pat)) return true;
  return false;
}

/** The -embedcfg cmd/go writes: each pattern's files, and where each file is. */
function embedConfig(p: ListedPackage): string | undefined {
  if (!p.EmbedPatterns?.length) return undefined;
  const files = p.EmbedFiles ?? [];
  const cfg = { Patterns: {} as Record<string, string[]>, Files: {} as Record<string, string> };
  for (const pat of p.EmbedPatterns) cfg.Patterns[pat] = files.filter((f) => embedMatches(pat, f));
  for (const f of files) cfg.Files[f] = path.join(p.Dir, f);
  return JSON.stringify(cfg);
}

/** Compiles the package into a scratch archive; throws an InstrumentError with the compiler's messages under `# <import path>`. */
export async function checkCompiles(p: ListedPackage, c: CompileCheck): Promise<void> {
  const args = ['-o', path.join(c.work, '_pkg_.a'), '-p', c.packageName, '-importcfg', c.importcfg, '-pack'];
  if (c.lang) args.push(`-lang=${c.lang}`);
  if (p.Standard) args.push('-std');
  args.push(...(await assemblyArgs(p, c)));
  const embed = embedConfig(p);
  if (embed) {
    const file = path.join(c.work, 'embedcfg');
    fs.writeFileSync(file, embed);
    args.push('-embedcfg', file);
  }
  const r = await execa(c.compiler, [...args, ...c.files], { cwd: p.Dir, env: c.env, extendEnv: false, reject: false, all: true });
  if (r.exitCode !== 0) throw new InstrumentError(`# ${p.ImportPath}\n${(r.all ?? '').trim() || `compile: exit status ${r.exitCode}`}`);
}
