// What the side-by-side benchmarks (compare.mjs, ci.mjs) share: the repository, arguments, medians,
// commands that must succeed, timestamped progress on stderr.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ours = path.join(root, 'bin', 'orchestrion');

// -h/--help: the benchmark's own leading comment is its usage (a benchmark run takes minutes).
if (process.argv.includes('-h') || process.argv.includes('--help')) {
  const head = fs.readFileSync(process.argv[1], 'utf8').split('\n');
  const n = head.findIndex((l) => !l.startsWith('//'));
  console.log(head.slice(0, n < 0 ? head.length : n).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

/** The value after `name` on the command line, else `def`. */
export const argOf = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const log = (msg) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
