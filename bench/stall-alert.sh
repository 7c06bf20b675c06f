#!/bin/sh
# Detection's live figure on the wall clock: the platform's peak traffic (550 calls/s) through a
# real agent and aggregator; RECIPE's writes stop; time from its last line written to the stall
# alert on a /live connection. Repeated RUNS times (a minute of normal traffic between).
# usage: bench/stall-alert.sh [RUNS=5]
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.StallAlertBench "${1:-5}"
