// The link step: every archive of the link's -importcfg may carry link.deps (packages injected by
// aspects, or reached through //go:linkname) that cmd/go did not put in the link: resolve them and
// their dependencies through the job server, add them to the importcfg, run the real linker.
import * as fs from 'node:fs';
import type { Client } from '../jobserver/client.ts';
import { logEvent } from '../log.ts';
import { flagValue, type ParsedCommand } from './argv.ts';
import { goWorkDir, rewriteImportConfig, resolveInto } from './compile.ts';
import { parseImportConfig } from '../gobuild/importcfg.ts';
import { LinkDeps } from '../gobuild/linkdeps.ts';
import { stampedBuildID } from '../build-id.ts';
import { linkCacheKey, restoreLink, storeLink } from '../cache/link.ts';
import { runTool, spawnTool } from './run.ts';

export async function link(cmd: ParsedCommand, connect: () => Promise<Client>): Promise<number> {
  const importcfg = flagValue(cmd, 'importcfg');
  if (!importcfg) return runTool(cmd.args);
  const start = performance.now();
  const cfg = parseImportConfig(fs.readFileSync(importcfg, 'utf8'), importcfg);
  const missing = LinkDeps.inherited(cfg);
  const scanned = performance.now();
  if (missing.size > 0) {
    const importPath = process.env.TOOLEXEC_IMPORTPATH || 'main';
    const client = await connect();
    try {
      await resolveInto(
        client,
        importPath,
        cfg,
        missing.entries().map(([p]) => p),
        true,
        goWorkDir(importcfg),
        // Extra packagefile lines are harmless to the linker, which loads what main reaches: the
        // resolution main's own compile started (a superset) answers, without another child build.
        true,
      );
    } catch (err) {
      throw new Error(`linking ${importPath}: link-time dependencies ${missing.entries().map(([p]) => JSON.stringify(p)).join(', ')}: ${(err as Error).message}`);
    }
    rewriteImportConfig(importcfg, cfg);
  }
  const linkStart = performance.now();
  const output = flagValue(cmd, 'o');
  const buildID = stampedBuildID(__dirname);
  const key = output && buildID ? linkCacheKey({ toolBuildID: buildID, args: cmd.args, output, importcfg, env: process.env, cwd: process.cwd() }) : undefined;
  const cached = key !== undefined && restoreLink(key, output!);
  let code = 0;
  if (!cached) {
    let r;
    try {
      r = await spawnTool(cmd.args[0]!, cmd.args.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    } catch (err) {
      throw new Error(`running ${cmd.args[0]}: ${(err as Error).message}`);
    }
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    code = r.code ?? 1;
    if (key !== undefined && code === 0 && r.stdout === '' && r.stderr === '') storeLink(key, output!);
  }
  // Where a link's time goes (the debug log): reading the archives' link.deps, resolving, the linker.
  logEvent('toolexec.link', { archives: cfg.packageFiles.size, missing: missing.size, scanMs: Math.round(scanned - start), resolveMs: Math.round(linkStart - scanned), linkerMs: Math.round(performance.now() - linkStart), cacheable: key !== undefined, cached, sinceProcessStartMs: Math.round(performance.now()) });
  return code;
}
