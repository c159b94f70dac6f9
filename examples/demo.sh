#!/usr/bin/env bash
# `make demo`: builds the example app (examples/traced: an HTTP server and client, a SQLite query, a
# //dd:span function, and no tracing code) with `orchestrion go build` against dd-trace-go v2's
# integrations, runs it beside a fake trace agent, and prints the spans the agent received as a tree.
# The first run downloads dd-trace-go and compiles SQLite (cgo): a few minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
orchestrion=$root/bin/orchestrion
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here/traced"

echo "== integrations enabled by orchestrion.tool.go"
sed -n '/^import (/,/^)/p' orchestrion.tool.go | grep '_ "' | sed 's/^\s*/   /'
echo
echo "== orchestrion go build (cold builds take a few minutes: dd-trace-go, and SQLite's C code)"
time "$orchestrion" go build -o "$out/traced" .
echo
echo "== running it beside a fake trace agent"
sh "$root/scripts/node.sh" "$root/test/fakeagent.ts" "$out/traced"
if [ "${DEMO_PLAIN:-}" = 1 ]; then
  echo
  echo "== the same app built with plain go build sends nothing"
  go build -o "$out/traced.plain" .
  sh "$root/scripts/node.sh" "$root/test/fakeagent.ts" "$out/traced.plain"
fi
