#!/usr/bin/env bash
# Detection's own cost of judging a backlog: HOURS of the platform's calls (2 M an hour, 14 agents,
# 5,000 pharmacies) walked by one detector in this process, the making of the rows left out.
# Prints the detector's CPU-s per million calls per run and their median.
# usage: bench/detection-walk.sh [HOURS=4] [RUNS=5]
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -XX:FreqInlineSize=50 -XX:InlineSmallCode=500 -XX:MaxInlineLevel=5 -cp "$BENCH_CP" callwatch.aggregator.bench.DetectionWalkBench "${1:-4}" "${2:-5}"
