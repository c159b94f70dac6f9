// Go archives (`ar` format, as `go tool pack` writes them): reading one member by name, and
// appending a member. orchestrion stores its `link.deps` and `testmain.info` records this way,
// inside the compile's own output, so Go's build cache keeps them with the archive.
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAGIC = '!<arch>\n';
const HEADER = 60;

/** The content of member `name` of the archive at `file`, or undefined when it has none. Throws if `file` is not an archive. */
export function readMember(file: string, name: string): Buffer | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const magic = Buffer.alloc(MAGIC.length);
    if (fs.readSync(fd, magic, 0, magic.length, 0) !== magic.length || magic.toString('latin1') !== MAGIC) {
      throw new Error(`${file}: not a Go archive (no !<arch> header)`);
    }
    const header = Buffer.alloc(HEADER);
    // Orchestrion's members are appended at the end, so they are found after the (large) object file:
    // only headers are read, each member's data is skipped.
    for (let off = MAGIC.length; off + HEADER <= size; ) {
      fs.readSync(fd, header, 0, HEADER, off);
      if (header.toString('latin1', 58, 60) !== '`\n') throw new Error(`${file}: malformed archive member header at offset ${off}`);
      const memberName = header.toString('latin1', 0, 16).trimEnd().replace(/\/$/, '');
      const len = Number.parseInt(header.toString('latin1', 48, 58).trim(), 10);
      if (!Number.isFinite(len) || len < 0) throw new Error(`${file}: malformed archive member size at offset ${off}`);
      if (memberName === name) {
        const data = Buffer.alloc(len);
        fs.readSync(fd, data, 0, len, off + HEADER);
        return data;
      }
      off += HEADER + len + (len % 2);
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends a member to the archive at `file` (header as Orchestrion writes it: zero time, uid/gid 0, mode 644). */
export function appendMember(file: string, name: string, data: Buffer | string): void {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  if (name.length > 16) throw new Error(`archive member name too long: ${name}`);
  const field = (s: string, width: number) => s.padEnd(width, ' ');
  const header =
    field(name, 16) + field('-62135596800', 12) + field('0', 6) + field('0', 6) + field('100644', 8) + field(String(body.length), 10) + '`\n';
  const parts = [Buffer.from(header, 'latin1'), body];
  if (body.length % 2 === 1) parts.push(Buffer.from('\n'));
  fs.appendFileSync(file, Buffer.concat(parts));
}

/** go's disk cache names an output by the SHA-256 of its content. */
const CACHE_OUTPUT = /^[0-9a-f]{64}-d$/;

/** An archive of go's disk cache: what is true of its content stays true of its path. */
export function isCachedArchive(archive: string): boolean {
  return CACHE_OUTPUT.test(path.basename(archive)) && path.isAbsolute(archive) && !archive.includes('\n');
}

/** What names an archive's content: its path in go's cache, else path, size and modification time (undefined when it cannot be read). */
export function archiveIdentity(archive: string): string | undefined {
  if (isCachedArchive(archive)) return archive;
  const st = fs.statSync(archive, { throwIfNoEntry: false });
  return st && `${archive}\0${st.size}\0${st.mtimeMs}`;
}
