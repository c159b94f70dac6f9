// The diff output of `orchestrion diff`: one unified diff per woven file whose original still exists
// (a file without one, such as the synthetic link_deps_imports.go or a cgo file's, is skipped).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { unifiedDiff } from './unified.ts';
import type { WovenFile } from './workdir.ts';

/** Colour as diff --color=auto gives it: on a terminal that is not "dumb" (and NO_COLOR unset). */
export function wantsColor(out: Writable & { isTTY?: boolean }): boolean {
  return out.isTTY === true && process.env.TERM !== 'dumb' && !process.env.NO_COLOR;
}

/** The diff of one woven file against its original, as latin1 text; '' when there is nothing to show. */
export function diffWovenFile(workDir: string, file: WovenFile, color = false): string {
  if (file.original === '' || !fs.existsSync(file.original)) return '';
  const from = fs.readFileSync(file.original, 'latin1');
  const to = fs.readFileSync(path.join(workDir, file.modified), 'latin1');
  // Bytes as latin1 characters throughout (diff -a), the labels too.
  const bytes = (label: string) => Buffer.from(label, 'utf8').toString('latin1');
  return unifiedDiff(from, to, { fromLabel: bytes(file.original), toLabel: bytes(file.modified), color });
}

/** Writes the diff of every file; a file that cannot be read is reported at the end, after the others. */
export function writeDiffs(workDir: string, files: WovenFile[], out: Writable & { isTTY?: boolean }): void {
  const color = wantsColor(out);
  const errors: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = diffWovenFile(workDir, f, color);
    } catch (err) {
      errors.push(`${f.modified}: ${(err as Error).message}`);
      continue;
    }
    if (text !== '') out.write(Buffer.from(text, 'latin1'));
  }
  if (errors.length > 0) throw new Error(errors.join('; '));
}
