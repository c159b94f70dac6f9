// The value of the templates' `Version` function (and so of dd-trace-go's `//orchestrion:version`
// constant, which its telemetry reports). Orchestrion gives its own module version, and its users
// run the version their go.mod pins (`go run github.com/DataDog/orchestrion`); as a drop-in, we
// give that pinned version, read from the main module's go.mod, with Orchestrion's rules for the
// cases without one: a directory replacement or orchestrion's own module is "<tag>+dev", a module
// that does not require orchestrion gets the release this tool is compatible with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ORCHESTRION_PKG } from './builtin.ts';

/** The Orchestrion release whose behaviour this tool reproduces. */
export const ORCHESTRION_COMPAT_VERSION = 'v1.12.0';
const DEV = `${ORCHESTRION_COMPAT_VERSION}+dev`;

/** `Version` for the module whose go.mod text is `gomod`. */
export function orchestrionVersionOf(gomod: string): string {
  let required: string | undefined;
  // `replace path vX => …` binds one version; `replace path => …` every other one.
  const replaces: { only?: string; version?: string }[] = [];
  for (const d of directives(gomod)) {
    if (unquote(d.args[0]) !== ORCHESTRION_PKG) continue;
    if (d.verb === 'module') return DEV;
    if (d.verb === 'require') required = d.args[1];
    const arrow = d.args.indexOf('=>');
    if (d.verb === 'replace' && (arrow === 1 || arrow === 2)) {
      // A module target has a version (Orchestrion's Replace.Version); a directory has none.
      replaces.push({ only: arrow === 2 ? d.args[1] : undefined, version: d.args[arrow + 2] });
    }
  }
  if (required === undefined) return ORCHESTRION_COMPAT_VERSION;
  const r = replaces.find((x) => x.only === required) ?? replaces.find((x) => x.only === undefined);
  if (r) return r.version ?? DEV;
  return required;
}

/** `Version` for the main module rooted at `root` (its go.mod unreadable: the compatible release). */
export function orchestrionVersionAt(root: string): string {
  try {
    return orchestrionVersionOf(fs.readFileSync(path.join(root, 'go.mod'), 'utf8'));
  } catch {
    return ORCHESTRION_COMPAT_VERSION;
  }
}

/** go.mod's directives, blocks (`require ( … )`) flattened into one directive per line. */
function* directives(text: string): Generator<{ verb: string; args: string[] }> {
  let block: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    if (block !== undefined) {
      if (line === ')') block = undefined;
      else yield { verb: block, args: words };
      continue;
    }
    if (words.length === 2 && words[1] === '(') {
      block = words[0];
      continue;
    }
    yield { verb: words[0]!, args: words.slice(1) };
  }
}

function unquote(s: string | undefined): string | undefined {
  return s !== undefined && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}
