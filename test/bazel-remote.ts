// A real bazel-remote for the tests and benchmarks that share Go's build cache through a remote:
// built once from the Go module proxy (test/tools/bazel-remote: go.mod, go.sum, tools.go) into
// .tools/bazel-remote/<hash of the tools module and the Go version>/, then reused; started on
// 127.0.0.1 on a free port, killed and restarted at will.
//
// Blobs are stored uncompressed (--storage_mode uncompressed), so a test can corrupt one on disk:
// <dir>/cas.v2/<2 hex>/<sha256>-<n>.v1 holds the body as it is served.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ROOT } from './helpers.ts';

const TOOLS = path.join(ROOT, 'test', 'tools', 'bazel-remote');

/** The bazel-remote binary, built on first use (about 100 s on 2 cores) and kept in .tools/. */
export function bazelRemoteBinary(): string {
  const goVersion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
  const hash = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'tools.go']) hash.update(fs.readFileSync(path.join(TOOLS, f)));
  hash.update(goVersion);
  const dir = path.join(ROOT, '.tools', 'bazel-remote', hash.digest('hex').slice(0, 16));
  const bin = path.join(dir, 'bazel-remote');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = spawnSync('go', ['build', '-mod=readonly', '-o', tmp, 'github.com/buchgr/bazel-remote/v2'], {
    cwd: TOOLS,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '', GOWORK: 'off', GOCACHEPROG: '' },
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (r.status !== 0) throw new Error(`building bazel-remote failed (exit ${r.status}):\n${r.stderr}`);
  fs.renameSync(tmp, bin);
  return bin;
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class BazelRemote {
  readonly dir: string;
  readonly port: number;
  /** Its access log and messages. */
  readonly log: string;
  private child: ChildProcess | undefined;
  private readonly extraArgs: string[];

  private constructor(dir: string, port: number, extraArgs: string[]) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
    this.log = path.join(dir, 'bazel-remote.log');
  }

  /** Starts a server storing into `dir` (created; its own files live in dir/data), with more flags if given. */
  static async start(dir: string, extraArgs: string[] = []): Promise<BazelRemote> {
    const server = new BazelRemote(dir, await freePort(), extraArgs);
    await server.restart();
    return server;
  }

  /** https when started with --tls_cert_file. */
  get url(): string {
    return `${this.extraArgs.includes('--tls_cert_file') ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** (Re)starts the server on the same port and data directory; resolves once it answers. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('bazel-remote is running');
    fs.mkdirSync(this.dataDir, { recursive: true });
    const out = fs.openSync(this.log, 'a');
    const child = spawn(
      bazelRemoteBinary(),
      ['--dir', this.dataDir, '--max_size', '1', '--storage_mode', 'uncompressed', '--http_address', `127.0.0.1:${this.port}`, '--grpc_address', 'none', '--disable_http_ac_validation', ...this.extraArgs],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    this.child = child;
    running.add(child);
    child.once('exit', () => {
      running.delete(child);
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.child !== child) throw new Error(`bazel-remote exited at start:\n${fs.readFileSync(this.log, 'utf8')}`);
      // Listening (TLS or not) is enough: it loads its store before it listens.
      if (await accepts(this.port)) return;
      if (Date.now() > deadline) throw new Error(`bazel-remote did not answer within 30 s:\n${fs.readFileSync(this.log, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ends the server (SIGKILL by default: as a crash) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** The files of its CAS store (bodies) and AC store (entries: raw.v2 when AC validation is off). */
  casFiles(): string[] {
    return listFiles(path.join(this.dataDir, 'cas.v2'));
  }

  acFiles(): string[] {
    return listFiles(path.join(this.dataDir, 'ac.v2')).concat(listFiles(path.join(this.dataDir, 'raw.v2')));
  }

  /** Requests in its access log with this method and path prefix (e.g. 'PUT', '/ac/'). */
  requests(method: string, prefix = '/'): number {
    const text = fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8') : '';
    return text.split('\n').filter((l) => new RegExp(`\\s${method} \\d{3}\\s+\\S+ ${prefix.replace(/\//g, '\\/')}`).test(l)).length;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
