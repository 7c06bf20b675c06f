#!/usr/bin/env bash
# Where the JIT's compiling went in a JFR recording: time by compiler, C2's by method and how often
# each was compiled. Record the member during a catch-up with every compilation kept:
#   AGG_JVM_FLAGS='-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:StartFlightRecording:filename=/tmp/jit.jfr,jdk.Compilation#threshold=0ms' bench/catch-up.sh 4 14 outage
# then: bench/jfr-compilations.sh /tmp/jit.jfr [TOP=25]      (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.JfrCompilations "$@"
