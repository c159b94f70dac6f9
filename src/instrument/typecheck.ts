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
  const embed = embedConfig(p);
  if (embed) {
    const file = path.join(c.work, 'embedcfg');
    fs.writeFileSync(file, embed);
    args.push('-embedcfg', file);
  }
  const r = await execa(c.compiler, [...args, ...c.files], { cwd: p.Dir, env: c.env, extendEnv: false, reject: false, all: true });
  if (r.exitCode !== 0) throw new InstrumentError(`# ${p.ImportPath}\n${(r.all ?? '').trim() || `compile: exit status ${r.exitCode}`}`);
}
