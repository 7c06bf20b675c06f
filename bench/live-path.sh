#!/usr/bin/env bash
# The live path: a line written -> read by a real agent -> stored and pushed by a real aggregator ->
# on each of many open wallboard connections (/live), with background traffic at 600 lines/s.
# Usage: bench/live-path.sh [WALLBOARDS] [PROBES]   (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.LivePathBench "${1:-500}" "${2:-60}"
