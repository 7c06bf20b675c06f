#!/usr/bin/env bash
# rrd4j ingest of one aggregator node (series updates/s) and year-long query latency with overlay.
# Usage: bench/rrd-ingest.sh [SERIES] [SLOTS]      (build first: mvn -B -q package -DskipTests)
# Disk: SERIES x 413 KB (6,000 series = 2.5 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.RrdIngestBench "${1:-6000}" "${2:-30}"
