#!/bin/sh
# Detection on the platform's rhythm: WEEKS normal weeks then a test week with one fault of each
# kind (stalls at the morning peak, at lunch and in the evening, a drop to 30 %, a silent server, a
# stopped agent, a failing vendor version, slow calls on one op, a hog, a pharmacy without a
# contract), fed second by second of event time into the aggregator's detector, for each seed.
# Prints per fault the time to detect and the rate expected then, and every false alarm.
# usage: bench/detection.sh [SEEDS=1,2,3] [WEEKS=3] [PEAK_CALLS_PER_SECOND=550]
# BUNCH=4: every pharmacy's calls come four at a time (visits of several calls), not one by one
# SERVICE_BUNCH=4: each server's calls of an op and vendor come four at a time, in the same second
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -Dbench.bunch="${BUNCH:-1}" -Dbench.serviceBunch="${SERVICE_BUNCH:-1}" -cp "$BENCH_CP" callwatch.aggregator.bench.DetectionBench "${1:-1,2,3}" "${2:-3}" "${3:-550}"
