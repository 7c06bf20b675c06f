#!/usr/bin/env bash
# Where a JFR recording's CPU samples fall, by the innermost callwatch method on each sample's stack
# (else Hazelcast's or another library's top method). Record the member during a catch-up with
#   AGG_JVM_FLAGS='-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:StartFlightRecording=filename=/tmp/agg.jfr,settings=default' bench/catch-up.sh 4 14 outage
# then: bench/jfr-top.sh /tmp/agg.jfr [TOP=25]      (builds what is missing)
# or, with settings=profile, where the bytes are allocated: bench/jfr-top.sh /tmp/agg.jfr 25 alloc
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.JfrTop "$@"
