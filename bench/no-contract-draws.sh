#!/usr/bin/env bash
# Callers without a contract on random (seeded) traffic through the detector: per usual rate of the
# pharmacy, how many draws are called within 2 minutes of every call being refused, the median and
# the slowest, and any caller called before (false).
# usage: bench/no-contract-draws.sh [DRAWS=100]
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx512m -cp "$BENCH_CP" callwatch.aggregator.bench.NoContractDrawsBench "${1:-100}"
