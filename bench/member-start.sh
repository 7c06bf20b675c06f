#!/usr/bin/env bash
# A member's own start: CPU seconds and wall time from `java` until /api/health answers 200 (a
# cluster of one, empty data folder, the deployed flags), RUNS times; then the same with a class
# data archive (AppCDS) recorded by one start of the same jar (-XX:ArchiveClassesAtExit, stopped
# with SIGTERM once healthy). Prints each run and the medians.
# usage: bench/member-start.sh [RUNS=5] [HTTP_PORT=18480] [CLUSTER_PORT=15780]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} http=${2:-18480} cport=${3:-15780}
[ -f aggregator/target/callwatch-aggregator.jar ] || mvn -B -q -o install -DskipTests
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp aggregator/target/callwatch-aggregator.jar "$tmp/"
flags=(-Xmx2g -Xms2g -Xmn800m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
  -XX:FreqInlineSize=50 -XX:InlineSmallCode=500 -XX:MaxInlineLevel=5)
tick=$(getconf CLK_TCK)

# one start: prints "CPU-s wall-s"
start() {
  rm -rf "$tmp/data"; mkdir -p "$tmp/data"
  printf '{"httpPort":%d,"dataDir":"%s","cluster":{"name":"member-start-%d","port":%d,"members":["127.0.0.1:%d"]}}' \
    "$http" "$tmp/data" $$ "$cport" "$cport" > "$tmp/agg.json"
  local t0 t1 pid
  t0=$(date +%s.%N)
  java "${flags[@]}" "$@" -jar "$tmp/callwatch-aggregator.jar" "$tmp/agg.json" > "$tmp/log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/api/health" || true)" = 200 ]; do
    kill -0 $pid 2>/dev/null || { echo "the member did not start:" >&2; tail -5 "$tmp/log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s.%N)
  read -r ut st < <(awk '{print $14, $15}' /proc/$pid/stat)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$(echo "($ut + $st) / $tick" | bc -l) $(echo "$t1 - $t0" | bc -l)"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

report() {
  local name=$1; shift
  local cpu=() wall=() out
  for i in $(seq "$runs"); do
    out=$(start "$@")
    cpu+=("${out% *}"); wall+=("${out#* }")
    printf '%s run %d: %.2f CPU-s, healthy after %.2f s\n' "$name" "$i" "${out% *}" "${out#* }"
  done
  printf '%s: median %.2f CPU-s, healthy after %.2f s\n' "$name" \
    "$(printf '%s\n' "${cpu[@]}" | median)" "$(printf '%s\n' "${wall[@]}" | median)"
}

report "deployed flags"
start -XX:ArchiveClassesAtExit="$tmp/agg.jsa" > /dev/null
[ -s "$tmp/agg.jsa" ] || { echo "no class archive was written" >&2; exit 1; }
report "with a class archive" -XX:SharedArchiveFile="$tmp/agg.jsa"
