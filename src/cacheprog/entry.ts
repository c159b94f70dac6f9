// The action entry: what an ActionID maps to. The same bytes are the local store's action file and
// the remote's /ac/<ActionID hex> body (docs/CI.md): one line of ASCII,
//
//   orchestrion-cacheprog/1 <OutputID: 64 hex> <size: decimal bytes> <time: Unix milliseconds>\n
//
// The OutputID is the sha256 of the body, which is stored under it (/cas/<OutputID hex> remotely).
// Anything else, from a remote in particular, is no entry: parseEntry answers undefined.

export interface ActionEntry {
  outputID: string;
  size: number;
  /** When the entry was put (go compares it with `go clean -testcache`'s time). */
  time: Date;
}

const MAGIC = 'orchestrion-cacheprog/1';
const LINE = /^orchestrion-cacheprog\/1 ([0-9a-f]{64}) (\d{1,15}) (\d{1,15})\n$/;

/** At most this many bytes are read of an entry: a longer one is not ours. */
export const MAX_ENTRY_BYTES = 256;

export function formatEntry(e: ActionEntry): string {
  return `${MAGIC} ${e.outputID} ${e.size} ${e.time.getTime()}\n`;
}

export function parseEntry(text: string): ActionEntry | undefined {
  const m = LINE.exec(text);
  if (!m) return undefined;
  return { outputID: m[1]!, size: Number(m[2]), time: new Date(Number(m[3])) };
}
