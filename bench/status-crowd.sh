#!/usr/bin/env bash
# The public status page under a crowd: requests per second one node answers on /status (in three
# languages, no login) while CLIENTS clients ask without pause, and a well-behaved agent's ack
# latency (p50/p99) idle and during the crowd (BATCHES batches 200 ms apart each).
# Usage: bench/status-crowd.sh [CLIENTS] [BATCHES]   (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -Djava.awt.headless=true -cp "$BENCH_CP" callwatch.aggregator.bench.FloodBench "${1:-64}" "${2:-100}" status
