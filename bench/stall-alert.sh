#!/bin/sh
# Detection's live figure on the wall clock: the platform's peak traffic (550 calls/s) through a
# real agent and aggregator; RECIPE's writes stop; time from its last line written to the stall
# alert on a /live connection. Repeated RUNS times (a minute of normal traffic between).
# usage: bench/stall-alert.sh [RUNS=5]
set -eu
cd "$(dirname "$0")/.."
[ -f aggregator/target/callwatch-aggregator.jar ] || mvn -B -q package -DskipTests
exec java -Xmx1g -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.StallAlertBench "${1:-5}"
