// A fake Datadog trace agent: an HTTP server on 127.0.0.1 that advertises only /v0.4/traces on
// GET /info and decodes the msgpack payloads the tracer POSTs there. The end-to-end tests assert
// on the spans it collects; `make demo` runs it around the example app and prints them as a tree.
//
//   node test/fakeagent.ts <program> [args…]   runs the program with DD_TRACE_AGENT_URL set and
//                                              prints the spans it sent as a tree.
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface Span {
  name: string;
  service: string;
  resource: string;
  type: string;
  traceId: bigint;
  spanId: bigint;
  parentId: bigint;
  error: number;
  meta: Record<string, string>;
  metrics: Record<string, number>;
}

export interface FakeAgent {
  url: string;
  /** Every span received so far, in arrival order. */
  spans: Span[];
  /** Request lines seen (method and path), for diagnostics. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeAgent(): Promise<FakeAgent> {
  const spans: Span[] = [];
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = (req.url ?? '').split('?')[0];
      requests.push(`${req.method} ${url}`);
      if (req.method === 'GET' && url === '/info') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ version: 'fake', endpoints: ['/v0.4/traces'], client_drop_p0s: false }));
        return;
      }
      if ((req.method === 'POST' || req.method === 'PUT') && url === '/v0.4/traces') {
        try {
          spans.push(...decodeTraces(Buffer.concat(chunks)));
        } catch (err) {
          res.writeHead(400);
          res.end(String(err));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"rate_by_service":{}}');
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Decodes a v0.4 payload: an array of traces, each an array of span maps. */
export function decodeTraces(buf: Buffer): Span[] {
  const traces = new MsgpackReader(buf).read();
  if (!Array.isArray(traces)) throw new Error('v0.4 payload is not an array of traces');
  const out: Span[] = [];
  for (const trace of traces) {
    if (!Array.isArray(trace)) throw new Error('v0.4 trace is not an array of spans');
    for (const s of trace as Record<string, unknown>[]) {
      out.push({
        name: String(s.name ?? ''),
        service: String(s.service ?? ''),
        resource: String(s.resource ?? ''),
        type: String(s.type ?? ''),
        traceId: BigInt((s.trace_id as number | bigint | undefined) ?? 0),
        spanId: BigInt((s.span_id as number | bigint | undefined) ?? 0),
        parentId: BigInt((s.parent_id as number | bigint | undefined) ?? 0),
        error: Number(s.error ?? 0),
        meta: (s.meta as Record<string, string> | undefined) ?? {},
        metrics: (s.metrics as Record<string, number> | undefined) ?? {},
      });
    }
  }
  return out;
}

/** A minimal msgpack reader: everything the tracer's encoder emits (ext types are skipped as null). */
class MsgpackReader {
  private pos = 0;
  private readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }

  read(): unknown {
    const b = this.u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xf0) === 0x80) return this.map(b & 0x0f);
    if ((b & 0xf0) === 0x90) return this.array(b & 0x0f);
    if ((b & 0xe0) === 0xa0) return this.str(b & 0x1f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bytes(this.u8());
      case 0xc5:
        return this.bytes(this.u16());
      case 0xc6:
        return this.bytes(this.u32());
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        return this.take(4).readFloatBE(0);
      case 0xcb:
        return this.take(8).readDoubleBE(0);
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        return this.take(8).readBigUInt64BE(0);
      case 0xd0:
        return this.take(1).readInt8(0);
      case 0xd1:
        return this.take(2).readInt16BE(0);
      case 0xd2:
        return this.take(4).readInt32BE(0);
      case 0xd3:
        return this.take(8).readBigInt64BE(0);
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(this.u8());
      case 0xda:
        return this.str(this.u16());
      case 0xdb:
        return this.str(this.u32());
      case 0xdc:
        return this.array(this.u16());
      case 0xdd:
        return this.array(this.u32());
      case 0xde:
        return this.map(this.u16());
      case 0xdf:
        return this.map(this.u32());
      default:
        throw new Error(`msgpack: unknown type byte 0x${b.toString(16)} at offset ${this.pos - 1}`);
    }
  }

  private take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error(`msgpack: truncated at offset ${this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  private u8(): number {
    return this.take(1)[0]!;
  }
  private u16(): number {
    return this.take(2).readUInt16BE(0);
  }
  private u32(): number {
    return this.take(4).readUInt32BE(0);
  }
  private str(n: number): string {
    return this.take(n).toString('utf8');
  }
  private bytes(n: number): Buffer {
    return Buffer.from(this.take(n));
  }
  private ext(n: number): null {
    this.take(1 + n); // type byte and data
    return null;
  }
  private array(n: number): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.read());
    return out;
  }
  private map(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = this.read();
      out[String(k)] = this.read();
    }
    return out;
  }
}

export interface SpanNode {
  span: Span;
  children: SpanNode[];
}

/** Arranges spans by parent id; spans whose parent was not received are roots. Children keep arrival order by start. */
export function spanTree(spans: Span[]): SpanNode[] {
  const nodes = new Map<bigint, SpanNode>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId !== 0n ? nodes.get(node.span.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The tree as indented text: `name (resource) key=value…` with the given meta keys. */
export function formatSpanTree(roots: SpanNode[], metaKeys: string[] = []): string {
  const lines: string[] = [];
  const walk = (node: SpanNode, depth: number) => {
    const { span } = node;
    const tags = metaKeys.filter((k) => span.meta[k] !== undefined).map((k) => `${k}=${span.meta[k]}`);
    lines.push(`${'  '.repeat(depth)}${depth ? '└ ' : ''}${span.name}  [${span.resource}]${tags.length ? '  ' + tags.join(' ') : ''}${span.error ? '  ERROR' : ''}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines.join('\n');
}

export interface AgentRun {
  code: number;
  stdout: string;
  stderr: string;
  spans: Span[];
  requests: string[];
}

/**
 * Runs a program beside a fresh fake agent (DD_TRACE_AGENT_URL points at it) and returns what it
 * printed and the spans the agent received. The program runs asynchronously: the agent lives in
 * this process and must keep answering while the program waits for it.
 */
export async function runWithAgent(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean } = {}): Promise<AgentRun> {
  const agent = await startFakeAgent();
  try {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      stdio: opts.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: {
        ...(opts.env ?? process.env),
        DD_TRACE_AGENT_URL: agent.url,
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
        DD_TRACE_STARTUP_LOGS: 'false',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number>((resolve) => {
      child.on('error', (err) => {
        stderr += String(err);
        resolve(127);
      });
      child.on('close', (c) => resolve(c ?? 1));
    });
    // The tracer flushes on Stop, before the program exits; let a straggling request land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { code, stdout, stderr, spans: [...agent.spans], requests: [...agent.requests] };
  } finally {
    await agent.close();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write('usage: fakeagent.ts <program> [args…]\n');
    return 2;
  }
  const r = await runWithAgent(argv, { inherit: true });
  if (r.spans.length === 0) {
    process.stdout.write('(the fake agent received no spans)\n');
  } else {
    process.stdout.write(`spans received by the fake agent (${r.spans.length}):\n`);
    process.stdout.write(formatSpanTree(spanTree(r.spans), ['span.kind', 'http.url', 'component', 'function-name']) + '\n');
  }
  return r.code;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
