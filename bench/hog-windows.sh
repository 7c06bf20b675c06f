#!/bin/sh
# Hogs on random (seeded) traffic through the aggregator's detector: how many draws of DRAWS are
# called a hog within 2 minutes, by the pharmacy's usual and its new rate, and how many pharmacies
# under the ceiling are called within the hour. Event time only: seconds of wall time to run.
# Usage: bench/hog-windows.sh [DRAWS]   (default 100)
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx512m -cp "$BENCH_CP" callwatch.aggregator.bench.HogWindowsBench "${1:-100}"
