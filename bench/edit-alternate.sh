#!/bin/sh
# Alternating edit-and-rebuild rounds, as docs/PERFORMANCE.md's thirteenth-session figures were
# measured: each round adds the same exported function to <leaf> in both copies, then rebuilds the
# plain copy with go and the app with this checkout's bin/orchestrion, each with its own GOCACHE
# (kept between rounds, in $GOCACHE_PLAIN and $GOCACHE_TS when set: start from warm ones) and
# the module's persistent job server; one line per round with both wall times and their difference.
#
#   bench/edit-alternate.sh <app dir> <plain dir> <leaf, relative> <rounds> <go args…>
#
# Example, app D (bench/apps/nethttp; the plain copy imports the tracer and contrib/net/http by hand):
#   bench/edit-alternate.sh /tmp/d/app /tmp/d/plain catalog/catalog.go 8 build -o out.bin .
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 5 ] || { echo "usage: $0 <app dir> <plain dir> <leaf> <rounds> <go args…>" >&2; exit 2; }
app=$1 plain=$2 leaf=$3 rounds=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gc_plain=${GOCACHE_PLAIN:-$work/gocache-plain} gc_ts=${GOCACHE_TS:-$work/gocache-ts}
ms() { echo $(($(date +%s%N) / 1000000)); }
i=0
while [ $i -le "$rounds" ]; do
  name=BenchEdit$$x$i
  printf '\n// %s is added by bench/edit-alternate.sh.\nfunc %s() int { return %s }\n' "$name" "$name" "$i" | tee -a "$plain/$leaf" >> "$app/$leaf"
  s=$(ms); (cd "$plain" && GOCACHE=$gc_plain go "$@"); p=$(($(ms) - s))
  s=$(ms); (cd "$app" && GOCACHE=$gc_ts "$root/bin/orchestrion" go "$@"); t=$(($(ms) - s))
  # Round 0 fills the caches.
  [ $i -eq 0 ] || echo "plain $p ms ts $t ms difference $((t - p)) ms"
  i=$((i + 1))
done
