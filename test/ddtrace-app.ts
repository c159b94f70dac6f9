// What the example app (examples/traced) must show when built with dd-trace-go's integrations:
// shared by the integration test (chosen integrations) and the slow all-integrations test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatSpanTree, spanTree, type AgentRun, type Span, type SpanNode } from './fakeagent.ts';
import { ROOT, tempModule } from './helpers.ts';

function only(nodes: SpanNode[], pred: (s: Span) => boolean, what: string, tree: string): SpanNode {
  const found = nodes.filter((n) => pred(n.span));
  assert.equal(found.length, 1, `expected one ${what} among ${nodes.map((n) => n.span.name).join(', ') || 'nothing'}\n${tree}`);
  return found[0]!;
}

/** The app's output and trace: client http.request → server http.request → //dd:span spans → SQL. */
export function assertAppTrace(r: AgentRun): void {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '200 OK widget: 42 in stock\n');
  assert.ok(r.requests.includes('GET /info'), `requests: ${r.requests.join(', ')}`);
  const roots = spanTree(r.spans);
  const tree = formatSpanTree(roots, ['span.kind', 'component']);

  // client http.request → server http.request → //dd:span spans → the SQL query.
  const client = only(roots, (s) => s.name === 'http.request' && s.meta['span.kind'] === 'client', 'client request span at the root', tree);
  assert.equal(client.span.resource, 'GET /stock/widget', tree);
  assert.equal(client.span.meta.component, 'net/http', tree);
  const server = only(client.children, (s) => s.name === 'http.request' && s.meta['span.kind'] === 'server', 'server span under the client span', tree);
  assert.equal(server.span.resource, 'GET /stock/{item}', tree);
  assert.equal(server.span.traceId, client.span.traceId, 'the server continued the client trace (headers propagated)');

  // The directive's arguments: span.name names the span, the others become tags.
  const lookup = only(server.children, (s) => s.name === 'inventory.lookup', '//dd:span inventory.lookup under the server span', tree);
  assert.equal(lookup.span.meta.component, 'inventory', tree);
  assert.equal(lookup.span.meta['function-name'], 'Lookup', tree);
  // audit() has no context argument: it finds its parent through the GLS woven into runtime.g.
  const audit = only(server.children, (s) => s.name === 'stock.audit', '//dd:span stock.audit (no ctx) under the server span', tree);
  assert.equal(audit.span.meta['function-name'], 'audit', tree);

  const query = only(lookup.children, (s) => s.meta.component === 'database/sql', 'SQL span under inventory.lookup', tree);
  assert.equal(query.span.resource, 'SELECT quantity FROM stock WHERE item = ?', tree);
  assert.equal(query.span.meta['span.kind'], 'client', tree);
  assert.ok(query.span.meta['db.system'] !== undefined, tree);

  // The tracer's own requests to the agent are not traced: dd-trace-go's tracer-internal aspects
  // (applied to its own packages, where other aspects are not) mark its HTTP transports.
  const own = r.spans.map((s) => s.meta['http.url'] ?? '').filter((u) => /\/v0\.4\/traces|\/info$/.test(u));
  assert.deepEqual(own, [], tree);
}

/** examples/traced with test/fixtures/ddall's go.mod, go.sum and orchestrion.tool.go (all of dd-trace-go's integrations). */
export function allIntegrationsModule(): string {
  const mod = tempModule('examples/traced');
  for (const f of ['go.mod', 'go.sum', 'orchestrion.tool.go']) fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'ddall', f), path.join(mod, f));
  return mod;
}
