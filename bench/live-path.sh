#!/usr/bin/env bash
# The live path: a line written -> read by a real agent -> stored and pushed by a real aggregator ->
# on each of many open wallboard connections (/live), with background traffic at 600 lines/s.
# Usage: bench/live-path.sh [WALLBOARDS] [PROBES]   (build first: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.LivePathBench "${1:-500}" "${2:-60}"
