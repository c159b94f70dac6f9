// `orchestrion pin`: registers orchestrion and its integrations in the main module, as Orchestrion's
// pin does. It creates or updates orchestrion.tool.go (build tag `tools`, the `//go:generate`
// directive, blank imports of github.com/DataDog/orchestrion and of dd-trace-go's integrations),
// makes go.mod require them (`go get`, `go mod edit`, `go mod tidy`), prunes imports that bring no
// integration, and restores the toolchain directive `go mod tidy` may have changed. Running it again
// changes nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { ORCHESTRION_PKG } from '../config/builtin.ts';
import { TOOL_GO } from '../config/load.ts';
import { GO_NOT_FOUND, isNotFound } from '../gocommand.ts';
import { stripToolexec } from '../goflags.ts';
import { compareGoVersions } from '../toolexec/argv.ts';
import { pathToolchain } from '../wasm/module.ts';
import { gofmt } from './gofmt.ts';
import { GoMod, requiredVersion } from './gomod.ts';
import { DD_TRACE_V1, DD_TRACE_V2_ALL, ensureIntegrations } from './integrations.ts';
import { lockGoMod } from './lock.ts';
import { compareSemver } from './semver.ts';
import { unnecessaryImports } from './prune.ts';
import { DEFAULT_TOOL_FILE, ToolFile, generateDirective } from './toolfile.ts';

/**
 * The least orchestrion version go.mod is made to require, as Orchestrion's pin does with its own
 * version: v1.12.0 is the release this tool reproduces. This tool is not itself a Go module:
 * requiring github.com/DataDog/orchestrion is what enables its built-in aspects and keeps the module
 * buildable with Orchestrion too. The required version is also the templates' `Version`, so an older
 * one that dd-trace-go's integrations pull in (v2.6.0 brings v1.6.0) is raised; a newer one is kept.
 */
export const ORCHESTRION_VERSION = 'v1.12.0';

/** Orchestrion sets at least this `go` directive (its own minimum). */
const MIN_GO = '1.23.0';

const INTEGRATION = '// integration';
const ORCHESTRION_IMPORT_DOC = ['// Ensures `orchestrion` is present in `go.mod` so that builds are repeatable.', '// Do not remove.'];

export interface PinOptions {
  /** Keep a `//go:generate` directive in orchestrion.tool.go (default in the CLI). */
  generate: boolean;
  /** Remove imports that bring no integration (else only report them). */
  prune: boolean;
  /** Check integrations' orchestrion.yml files against the JSON Schema. */
  validate: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the lines pin reports (pruned imports). */
  log?: (line: string) => void;
}

async function goModOf(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await execa('go', ['env', 'GOMOD'], { cwd, env, reject: false });
  if (isNotFound(r)) throw new Error(`${GO_NOT_FOUND} (go env GOMOD failed: go: not found)`);
  const goMod = String(r.stdout ?? '').trim();
  if (r.exitCode !== 0) throw new Error(`getting GOMOD: running "go env GOMOD": ${String(r.stderr ?? '').trim() || r.message}`);
  if (goMod === '' || goMod === '/dev/null' || goMod === 'NUL') {
    throw new Error(`getting GOMOD: in "${cwd}": \`go env GOMOD\` returned a blank string (run pin inside a Go module)`);
  }
  return goMod;
}

/** Writes `text` to `file` through a temporary file and a rename, when it differs from `previous`. */
function writeIfChanged(file: string, text: string, previous: string | undefined): void {
  if (text === previous) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Orchestrion's import edits: its own import and the dd-trace-go integrations, legacy entry points out. */
function updateImports(tool: ToolFile): void {
  const own = tool.add(ORCHESTRION_PKG);
  if (own.isNew) own.spec.lead = ORCHESTRION_IMPORT_DOC.map((l) => `\t${l}\n`).join('');
  own.spec.end = INTEGRATION;
  const all = tool.add(DD_TRACE_V2_ALL).spec;
  if (!all.lead.startsWith('\n')) all.lead = `\n${all.lead}`;
  all.end = INTEGRATION;
  tool.remove(`${ORCHESTRION_PKG}/instrument`);
  tool.remove(DD_TRACE_V1);
}

/** Marks the imports that bring integrations, and prunes (or reports) the others. True when one was removed. */
async function pruneImports(tool: ToolFile, root: string, env: NodeJS.ProcessEnv, opts: PinOptions): Promise<boolean> {
  const paths = [...new Set(tool.imports())].filter((p) => p !== ORCHESTRION_PKG);
  const reasons = await unnecessaryImports(root, paths, env, opts.validate);
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let pruned = false;
  for (const p of paths) {
    const spec = tool.find(p);
    const reason = reasons.get(p);
    if (!spec) continue;
    if (reason === undefined) {
      spec.end = INTEGRATION;
    } else if (!opts.prune) {
      log(`unnecessary import of ${JSON.stringify(p)}: ${reason}`);
      spec.end = undefined;
    } else {
      tool.remove(p);
      log(`removing unnecessary import of ${JSON.stringify(p)}: ${reason}`);
      pruned = true;
    }
  }
  return pruned;
}

export async function pinOrchestrion(opts: PinOptions): Promise<void> {
  const cwd = opts.cwd ?? process.cwd();
  const base = opts.env ?? process.env;
  // pin's own go commands must never run through orchestrion.
  const env: NodeJS.ProcessEnv = { ...base, GOFLAGS: stripToolexec(base.GOFLAGS) };
  const goModFile = await goModOf(cwd, env);
  const release = await lockGoMod(goModFile);
  try {
    const root = path.dirname(goModFile);
    const toolFile = path.join(root, TOOL_GO);
    const { goroot } = await pathToolchain(root, env);
    let onDisk: string | undefined = fs.existsSync(toolFile) ? fs.readFileSync(toolFile, 'utf8') : undefined;
    const tool = ToolFile.parse(await gofmt(onDisk ?? DEFAULT_TOOL_FILE, goroot, toolFile), toolFile);
    tool.setGenerateDirective(generateDirective(opts));
    updateImports(tool);
    const save = async () => {
      const text = await gofmt(tool.print(), goroot, toolFile);
      writeIfChanged(toolFile, text, onDisk);
      onDisk = text;
    };
    // Written first: `go mod tidy` keeps what the tool file imports.
    await save();

    const gomod = new GoMod(goModFile, env);
    const before = await gomod.parse();
    await ensureIntegrations(gomod, before);
    const current = await gomod.parse();
    const edits: string[] = [];
    if (compareGoVersions(current.Go ?? '', MIN_GO) < 0) edits.push(`-go=${MIN_GO}`);
    const pinned = requiredVersion(current, ORCHESTRION_PKG);
    if (pinned === undefined || compareSemver(pinned, ORCHESTRION_VERSION) < 0) edits.push(`-require=${ORCHESTRION_PKG}@${ORCHESTRION_VERSION}`);
    await gomod.edit(edits);

    const pruned = await pruneImports(tool, root, env, opts);
    await save();
    if (pruned) await gomod.tidy();

    // `go mod tidy` may have added or changed the toolchain directive: put back the user's.
    await gomod.edit([before.Toolchain ? `-toolchain=${before.Toolchain}` : '-toolchain=none']);
  } finally {
    release();
  }
}
