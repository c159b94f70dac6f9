// The -importcfg file cmd/go gives the compiler and linker: `packagefile <path>=<archive>` and
// `importmap <source path>=<actual path>` lines (plus comments and other directives, kept as-is).

export interface ImportConfig {
  packageFiles: Map<string, string>;
  importMap: Map<string, string>;
  /** Lines other than packagefile/importmap, in order (e.g. `modinfo`, `packageshlib`). */
  other: string[];
}

export function parseImportConfig(text: string, file = 'importcfg'): ImportConfig {
  const cfg: ImportConfig = { packageFiles: new Map(), importMap: new Map(), other: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const sp = line.indexOf(' ');
    const verb = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    if (verb === 'packagefile' || verb === 'importmap') {
      const eq = rest.indexOf('=');
      if (eq <= 0) throw new Error(`${file}:${i + 1}: invalid ${verb}: syntax is "${verb} path=filename"`);
      (verb === 'packagefile' ? cfg.packageFiles : cfg.importMap).set(rest.slice(0, eq), rest.slice(eq + 1));
    } else {
      cfg.other.push(raw);
    }
  });
  return cfg;
}

/** Whether an import of `path` can be satisfied by this configuration. */
export function provides(cfg: ImportConfig, path: string): boolean {
  return cfg.packageFiles.has(cfg.importMap.get(path) ?? path);
}

export function formatImportConfig(cfg: ImportConfig): string {
  const lines = [...cfg.other];
  for (const [k, v] of cfg.importMap) lines.push(`importmap ${k}=${v}`);
  for (const [k, v] of cfg.packageFiles) lines.push(`packagefile ${k}=${v}`);
  return lines.join('\n') + '\n';
}
