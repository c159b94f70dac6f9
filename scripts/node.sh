#!/bin/sh
# Runs the Node chosen by `make` (the machine's when >= 22, else the one in .tools/): npm scripts use
# it so that they work whatever `node` is first on PATH.
root=$(cd "$(dirname "$0")/.." && pwd)
read -r node < "$root/.tools/node-path" || { echo "not set up: run make" >&2; exit 1; }
exec "$node" "$@"
