import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Flags } from '@oclif/core';
import { parseCacheProgArgs, USAGE } from '../cacheprog/args.ts';

export default class CacheProg extends Command {
  static override description = `A GOCACHEPROG program: Go's build cache in a local directory, shared through a remote cache

Set GOCACHEPROG="<path>/bin/orchestrion cacheprog [flags]" (Go 1.24 or later; GOCACHE must still name a directory). go then starts it once per go process and asks it for every build cache entry: hits are served from a content-addressed local directory (-dir, default <orchestrion cache dir>/cacheprog); misses are looked up in the remote, a Bazel remote-cache HTTP server such as bazel-remote (GET /ac/<ActionID hex>, then /cas/<sha256 hex>); every entry go builds is stored locally and uploaded.

Every body from the remote is checked against its sha256 before use: a corrupt or truncated one is a miss. A remote that is down, slow or erroring never fails the build: it gives misses, entries stay local, and one warning is printed. Whoever can write to the remote can put code into every build that reads it: use -read-only (or ORCHESTRION_REMOTE_CACHE_READONLY=1) for jobs you do not trust, such as pull requests from forks. See docs/CI.md.

Environment:

ORCHESTRION_REMOTE_CACHE: the remote's URL when -remote is not given (http:// or https://, with an optional path prefix).

ORCHESTRION_REMOTE_CACHE_AUTH: the Authorization header sent to the remote, e.g. "Bearer <token>" (credentials in the URL are sent as Basic auth).

ORCHESTRION_REMOTE_CACHE_READONLY: 1 or true, the same as -read-only.

ORCHESTRION_REMOTE_CACHE_TIMEOUT: seconds without progress after which a remote request fails (default 10).

Under orchestrion go, the cacheprogs of a machine new to the configuration fetch ahead, many at a time, what the last build of the same packages used (a prefetch index orchestrion go keeps in the same cache); ORCHESTRION_CACHEPROG_PREFETCH=0 turns that off.

orchestrion go prints one line of cache statistics after the build with -v, or when CI is set. bin/orchestrion sends this command straight to a lean bundle; this oclif form exists for help and for callers that bypass bin/.`;
  static override strict = false;
  static override usage = 'cacheprog [-dir DIR] [-remote URL] [-read-only]';
  static override flags = {
    dir: Flags.string({ description: 'The local cache directory (default: <orchestrion cache dir>/cacheprog, i.e. $ORCHESTRION_CACHE_DIR/cacheprog or ~/.cache/orchestrion-ts/cacheprog).', helpValue: 'DIR' }),
    remote: Flags.string({ description: 'The remote cache\'s base URL (default: $ORCHESTRION_REMOTE_CACHE; none: a local-only cache).', helpValue: 'URL' }),
    'read-only': Flags.boolean({ description: 'Read the remote, never write to it (default: $ORCHESTRION_REMOTE_CACHE_READONLY).' }),
  };
  static override examples = [
    'GOCACHEPROG="$PWD/bin/orchestrion cacheprog" <%= config.bin %> go build ./...',
    'GOCACHEPROG="$PWD/bin/orchestrion cacheprog -remote http://cache.internal:8080" go build ./...',
    'ORCHESTRION_REMOTE_CACHE=https://cache.example.com ORCHESTRION_REMOTE_CACHE_READONLY=1 GOCACHEPROG="$PWD/bin/orchestrion cacheprog" go test ./...',
  ];

  async run(): Promise<void> {
    let help: boolean;
    try {
      help = parseCacheProgArgs(this.argv, process.env).help;
    } catch (err) {
      this.logToStderr(`orchestrion cacheprog: ${(err as Error).message}\n${USAGE}`);
      this.exit(2);
    }
    if (help) return this.config.runCommand('help', ['cacheprog']);
    const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cacheprog.cjs');
    const r = spawnSync(process.execPath, [bundle, ...this.argv], { stdio: 'inherit' });
    this.exit(r.status ?? 1);
  }
}
