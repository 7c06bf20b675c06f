#!/usr/bin/env bash
# Ingest under a flood of queries: a well-behaved agent's ack latency (p50/p99) with the node idle,
# then while CLIENTS clients request year-long PNG renders and series queries without pause
# (bounded: BATCHES batches 200 ms apart, 120 s at most). Run it a few times and take medians.
# Usage: bench/flood.sh [CLIENTS] [BATCHES]   (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -Djava.awt.headless=true -cp "$BENCH_CP" callwatch.aggregator.bench.FloodBench "${1:-32}" "${2:-100}"
