// Stopping a process with everything it started: go and the toolexec processes it runs.
import * as fs from 'node:fs';

/** The processes descended from `pid`, deepest last (Linux's /proc; elsewhere none are found). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // The command name (field 2) is parenthesised and may hold spaces: fields resume after its ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(e));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * Kills `pid` and its descendants with SIGKILL, none of them able to report anything: all are
 * stopped first (SIGSTOP, parents before their children, the tree read again once go can spawn no
 * more), then killed. Killing a child of a running go first let go report it ("go: error obtaining
 * buildID for go tool compile: signal: killed"); killing go first lets a running child print.
 */
export function killTree(pid: number): void {
  const signal = (p: number, sig: NodeJS.Signals) => {
    try {
      process.kill(p, sig);
    } catch {
      // already gone
    }
  };
  const stopped = [pid];
  signal(pid, 'SIGSTOP');
  // Twice: a child may have started one of its own between the reading and its stop.
  for (let round = 0; round < 2; round++) {
    for (const p of descendants(pid)) {
      if (stopped.includes(p)) continue;
      signal(p, 'SIGSTOP');
      stopped.push(p);
    }
  }
  for (const p of stopped.reverse()) signal(p, 'SIGKILL');
}
