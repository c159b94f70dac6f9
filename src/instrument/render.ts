// The report of `orchestrion instrument`, for a person (unified diffs, and with -explain each
// aspect's verdict) and as one JSON document (docs/INSTRUMENT.md).
import * as path from 'node:path';
import type { AspectVerdict, ExplainStage } from '../jobserver/protocol.ts';
import type { PackageReport, Report } from './instrument.ts';

/** Rejection stages in pipeline order, and how the text report names them. */
const STAGES: [Exclude<ExplainStage, 'matched'>, string][] = [
  ['special-case', 'never woven here (special case of the import path)'],
  ['package', 'rejected by the package filter'],
  ['file', 'rejected by the file filter'],
  ['syntax', 'rejected by syntax'],
  ['types', 'rejected by types'],
];

/** `file` relative to `root` when inside it, else as it is (`<builtin>`, the module cache, GOROOT). */
export function relativeTo(root: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function aspectName(v: AspectVerdict, root: string): string {
  return `${v.aspect} (${relativeTo(root, v.file)})`;
}

const byIndex = (a: AspectVerdict, b: AspectVerdict) => a.index - b.index || (a.aspect < b.aspect ? -1 : a.aspect > b.aspect ? 1 : 0);

/** One package's verdicts: matches first (with each join point and its advice), then rejections by stage. */
export function renderExplain(pkg: PackageReport, root: string): string {
  const head = `${pkg.importPath}:`;
  if (pkg.explain === undefined) return `${head} no verdicts (this job server does not explain)\n`;
  if (pkg.explain.length === 0) return `${head} no aspects in the configuration\n`;
  const verdicts = [...pkg.explain].sort(byIndex);
  const matched = verdicts.filter((v) => v.stage === 'matched');
  let out = `${head} ${matched.length} of ${verdicts.length} aspect${verdicts.length === 1 ? '' : 's'} matched\n`;
  if (matched.length > 0) {
    out += '  matched:\n';
    for (const v of matched) {
      out += `    ${aspectName(v, root)}\n`;
      for (const m of [...(v.matches ?? [])].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))) {
        out += `      ${relativeTo(root, m.file)}:${m.line}:${m.column}: ${m.advice.join(', ')}\n`;
      }
    }
  }
  for (const [stage, title] of STAGES) {
    const rejected = verdicts.filter((v) => v.stage === stage);
    if (rejected.length === 0) continue;
    out += `  ${title}:\n`;
    for (const v of rejected) {
      const at = v.at ? ` at ${relativeTo(root, v.at.file)}:${v.at.line}:${v.at.column}` : '';
      out += `    ${aspectName(v, root)}${at}: ${v.reason}\n`;
    }
  }
  return out;
}

/** The text report: per package (in import path order), its verdicts with -explain, then its diffs. */
export function renderText(report: Report, explain: boolean): string {
  let out = '';
  for (const pkg of report.packages) {
    if (explain) out += renderExplain(pkg, report.root);
    for (const f of pkg.files) out += f.diff;
  }
  return out;
}

/** The JSON document (docs/INSTRUMENT.md): the report without the woven bytes (the diffs carry them). */
export function toJSON(report: Report): unknown {
  return {
    root: report.root,
    packages: report.packages.map((p) => ({
      importPath: p.importPath,
      name: p.name,
      dir: p.dir,
      lang: p.lang,
      files: p.files.map((f) => ({ path: f.path, name: f.name, woven: f.woven, diff: f.diff })),
      references: p.references,
      ...(p.explain !== undefined || 'explain' in p ? { explain: p.explain ?? null } : {}),
    })),
  };
}
