#!/usr/bin/env bash
# `make demo`: builds examples/hello plainly and with orchestrion, and runs both, so the difference
# the aspect in examples/hello/orchestrion.yml makes is visible.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
orchestrion=$here/../bin/orchestrion
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here/hello"

echo "== orchestrion.yml"
sed -n '/^aspects:/,$p' orchestrion.yml
echo
echo "== plain: go build"
go build -o "$out/hello.plain" .
"$out/hello.plain"
echo
echo "== instrumented: orchestrion go build"
"$orchestrion" go build -o "$out/hello" .
"$out/hello"
echo
echo "== a panic in an instrumented function still points at the user's line (main.go:42)"
"$out/hello" panic 2>&1 | grep -E 'main\.go:[0-9]+' | head -n 2 || true
