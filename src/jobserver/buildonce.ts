// "Never build twice": each (import path, build ID) is compiled by one owner; later or concurrent
// callers wait for it and re-use its artifacts (build.start / build.finish).
import { randomUUID, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Artifacts, BuildStartResult } from './protocol.ts';

interface Entry {
  token: string;
  done: Promise<Artifacts>;
  settle: (result: { artifacts: Artifacts } | { error: string }) => void;
  finished: boolean;
}

export class BuildOnce {
  private readonly entries = new Map<string, Entry>();

  /** Keeps copies of finished artifacts: the owner's $WORK may be gone when a waiter asks. */
  private readonly storeDir: string;

  constructor(storeDir: string) {
    this.storeDir = storeDir;
  }

  async start(importPath: string, buildID: string): Promise<BuildStartResult> {
    const key = `${importPath}\0${buildID}`;
    const existing = this.entries.get(key);
    if (existing) return { reuse: await existing.done };
    let settle!: Entry['settle'];
    const done = new Promise<Artifacts>((resolve, reject) => {
      settle = (r) => ('error' in r ? reject(new Error(r.error)) : resolve(r.artifacts));
    });
    done.catch(() => {}); // waiters observe the rejection; an unobserved one must not crash the server
    const entry: Entry = { token: randomUUID(), done, settle, finished: false };
    this.entries.set(key, entry);
    return { token: entry.token };
  }

  finish(importPath: string, buildID: string, token: string, outcome: { artifacts: Artifacts } | { error: string }): void {
    const key = `${importPath}\0${buildID}`;
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`no build started for "${importPath}"`);
    if (entry.token !== token) throw new Error(`invalid finish token for "${importPath}"`);
    if (entry.finished) return;
    entry.finished = true;
    if ('error' in outcome) {
      // A failed build is not remembered: the next build of the same package tries again.
      this.entries.delete(key);
      entry.settle(outcome);
      return;
    }
    if (Object.keys(outcome.artifacts).length === 0) {
      this.entries.delete(key);
      entry.settle({ error: 'missing files, and no error reported' });
      throw new Error('missing files, and no error reported');
    }
    try {
      entry.settle({ artifacts: this.store(key, outcome.artifacts) });
    } catch (err) {
      this.entries.delete(key);
      entry.settle({ error: `storing artifacts of "${importPath}": ${(err as Error).message}` });
      throw err;
    }
  }

  private store(key: string, artifacts: Artifacts): Artifacts {
    const dir = path.join(this.storeDir, createHash('sha256').update(key).digest('hex').slice(0, 32));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const kept: Artifacts = {};
    for (const [label, file] of Object.entries(artifacts)) {
      const dst = path.join(dir, label);
      // A copy, not a hard link: cmd/go rewrites the build ID inside the archive in place afterwards.
      fs.copyFileSync(file, dst, fs.constants.COPYFILE_FICLONE);
      kept[label] = dst;
    }
    return kept;
  }
}
