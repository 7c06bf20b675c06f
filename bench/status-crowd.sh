#!/usr/bin/env bash
# The public status page under a crowd: requests per second one node answers on /status (in three
# languages, no login) while CLIENTS clients ask without pause, and a well-behaved agent's ack
# latency (p50/p99) idle and during the crowd (BATCHES batches 200 ms apart each).
# Usage: bench/status-crowd.sh [CLIENTS] [BATCHES]   (build first: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -Djava.awt.headless=true -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.FloodBench "${1:-64}" "${2:-100}" status
