#!/usr/bin/env bash
# Where a JFR recording's CPU samples fall, by the innermost callwatch method on each sample's stack
# (else Hazelcast's or another library's top method). Record the member during a catch-up with
#   AGG_JVM_FLAGS='-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:StartFlightRecording=filename=/tmp/agg.jfr,settings=default' bench/catch-up.sh 4 14 outage
# then: bench/jfr-top.sh /tmp/agg.jfr [TOP=25]      (build first: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.JfrTop "$@"
