// `link.deps`: the packages a compiled package needs at link time that its own imports do not
// bring (packages injected by aspects, and those only reached through //go:linkname), stored as an
// archive member in Orchestrion's format so archives stay interchangeable.
import { readMember } from './archive.ts';
import { provides, type ImportConfig } from './importcfg.ts';

export const LINK_DEPS_MEMBER = 'link.deps';
export type DepKind = 'import' | 'relocation';

/** Import path → kind; `import` is the stronger kind and wins when both are recorded. */
export class LinkDeps {
  readonly deps = new Map<string, DepKind>();

  add(path: string, kind: DepKind): void {
    if (this.deps.get(path) !== 'import') this.deps.set(path, kind);
  }

  addAll(other: LinkDeps): void {
    for (const [p, k] of other.deps) this.add(p, k);
  }

  get size(): number {
    return this.deps.size;
  }

  /** Sorted entries. */
  entries(): [string, DepKind][] {
    return [...this.deps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The `#link.deps@v2` text: one `<kind>\t<path>` line per dependency, sorted by path. */
  format(): string {
    return ['#link.deps@v2', ...this.entries().map(([p, k]) => `${k}\t${p}`)].join('\n') + '\n';
  }

  static parse(text: string, source: string): LinkDeps {
    const lines = text.split('\n');
    const header = lines[0]!.trim();
    const ld = new LinkDeps();
    if (header !== '#link.deps@v1' && header !== '#link.deps@v2') {
      throw new Error(`${source}: unsupported data format ${JSON.stringify(header)}, a newer orchestrion release may be required`);
    }
    for (const raw of lines.slice(1)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (header === '#link.deps@v1') {
        ld.add(line, 'import');
        continue;
      }
      const tab = line.indexOf('\t');
      const kind = tab < 0 ? '' : line.slice(0, tab);
      const path = tab < 0 ? '' : line.slice(tab + 1).trim();
      if (path === '') throw new Error(`${source}: invalid #link.deps@v2 entry ${JSON.stringify(line)}`);
      if (kind !== 'import' && kind !== 'relocation') throw new Error(`${source}: invalid #link.deps@v2 dependency kind ${JSON.stringify(kind)}`);
      ld.add(path, kind);
    }
    return ld;
  }

  /** The link.deps of an archive (empty when it has no such member). */
  static fromArchive(file: string): LinkDeps {
    return LinkDeps.withText(file).deps;
  }

  /** The link.deps of an archive as `memberText` gave it (none for undefined). */
  static fromText(file: string, text: string | undefined): LinkDeps {
    return text === undefined ? new LinkDeps() : LinkDeps.parse(text, `${file}(${LINK_DEPS_MEMBER})`);
  }

  /** The text of an archive's link.deps member, undefined when it has none. */
  static memberText(file: string): string | undefined {
    return readMember(file, LINK_DEPS_MEMBER)?.toString('utf8');
  }

  /** The link.deps of an archive, and the member's text when it has one. */
  private static withText(file: string): { deps: LinkDeps; text?: string } {
    const text = LinkDeps.memberText(file);
    return text === undefined ? { deps: new LinkDeps() } : { deps: LinkDeps.fromText(file, text), text };
  }

  /**
   * What the archives of an importcfg carry that the importcfg itself does not satisfy; the archives
   * that carry nothing are added to `empty`, those that carry some to `carrying` with the member's
   * text, when given.
   */
  static inherited(cfg: ImportConfig, empty?: string[], carrying?: Map<string, string>): LinkDeps {
    const out = new LinkDeps();
    for (const file of cfg.packageFiles.values()) {
      const { deps, text } = LinkDeps.withText(file);
      if (deps.size === 0) empty?.push(file);
      else if (text !== undefined) carrying?.set(file, text);
      for (const [p, k] of deps.deps) if (!provides(cfg, p)) out.add(p, k);
    }
    return out;
  }
}
