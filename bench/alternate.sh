#!/bin/sh
# Alternating cold builds, as docs/PERFORMANCE.md's tenth-session rounds were measured: each tool
# builds in turn, the order given, each with a fresh GOCACHE and ORCHESTRION_CACHE_DIR and no job
# server of ours left for the module; one line per build with its wall time.
#
#   bench/alternate.sh <app dir> <plain dir> <go args…> -- <tool>…
#
# Tools: plain (go in <plain dir>: the app alone, or with what the weave injects imported by hand),
# orchestrion (Orchestrion on PATH or $ORCHESTRION, in <app dir>), ts (this checkout's bin/orchestrion,
# in <app dir>). Example, app D against its floor, then in reverse order:
#   bench/alternate.sh /tmp/d/app /tmp/d/plain build -o out.bin . -- plain orchestrion ts
#   bench/alternate.sh /tmp/d/app /tmp/d/plain build -o out.bin . -- ts orchestrion plain
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
app=$1 plain=$2
shift 2
args=''
while [ $# -gt 0 ] && [ "$1" != -- ]; do args="$args $1"; shift; done
[ $# -gt 0 ] || { echo "usage: $0 <app dir> <plain dir> <go args…> -- <tool>…" >&2; exit 2; }
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tool; do
  # Only this module's persistent server: another build's is not ours to stop.
  pkill -f "persistent-main.js.*\"root\":\"$app\"" 2> /dev/null || true
  export GOCACHE="$work/gocache-$tool" ORCHESTRION_CACHE_DIR="$work/cache-$tool"
  rm -rf "$GOCACHE" "$ORCHESTRION_CACHE_DIR"
  start=$(date +%s.%N)
  case $tool in
    # shellcheck disable=SC2086 # the go arguments, split as given
    plain) (cd "$plain" && GOFLAGS=-mod=mod go $args) ;;
    orchestrion) (cd "$app" && "${ORCHESTRION:-orchestrion}" go $args) ;;
    ts) (cd "$app" && "$root/bin/orchestrion" go $args) ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
  esac
  end=$(date +%s.%N)
  echo "$tool $(echo "$end - $start" | bc) s"
done
pkill -f "persistent-main.js.*\"root\":\"$app\"" 2> /dev/null || true
