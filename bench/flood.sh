#!/usr/bin/env bash
# Ingest under a flood of queries: a well-behaved agent's ack latency (p50/p99) with the node idle,
# then while CLIENTS clients request year-long PNG renders and series queries without pause
# (bounded: BATCHES batches 200 ms apart, 120 s at most). Run it a few times and take medians.
# Usage: bench/flood.sh [CLIENTS] [BATCHES]   (build first: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -Djava.awt.headless=true -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.FloodBench "${1:-32}" "${2:-100}"
