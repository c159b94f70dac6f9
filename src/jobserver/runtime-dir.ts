// Where job servers put their sockets: a per-user directory of mode 0700.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function runtimeDir(): string {
  const base = process.env.XDG_RUNTIME_DIR || os.tmpdir();
  const dir = path.join(base, `orchestrion-ts-${process.getuid?.() ?? 'user'}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  return dir;
}

/** The daemon directory of the toolexec calls whose parent is the `go` process `goPid`. */
export function daemonDirFor(goPid: number): string {
  return path.join(runtimeDir(), `go-${goPid}`);
}
