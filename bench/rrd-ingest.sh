#!/usr/bin/env bash
# rrd4j ingest of one aggregator node (series updates/s) and year-long query latency with overlay.
# Usage: bench/rrd-ingest.sh [SERIES] [SLOTS]      (builds what is missing)
# Disk: SERIES x 413 KB (6,000 series = 2.5 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.RrdIngestBench "${1:-6000}" "${2:-30}"
