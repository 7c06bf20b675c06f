#!/bin/sh
# Detection through the real path: WEEKS normal weeks of the platform's rhythm and a test week with
# its faults, written as four servers' log files with past timestamps, read by four real agent
# processes into a real aggregator member that stores, learns and judges the backlog in event time.
# Prints per fault the time to detect and the expected rate then, and the false alarms of the normal weeks.
# usage: bench/detection-path.sh [SEED=1] [WEEKS=3] [PEAK=20 calls/s at the weekday morning peak: a 27th of the platform, as docs/detection.md]
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.DetectionPathBench "${1:-1}" "${2:-3}" "${3:-20}"
