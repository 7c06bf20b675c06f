#!/usr/bin/env bash
# Agent parse-and-aggregate throughput on one thread, app and access formats (median of 5 runs after 3 warm-up runs).
# Usage: bench/agent-throughput.sh [LINES] [RUNS]      (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx256m -XX:+UseSerialGC -cp "$BENCH_CP" callwatch.agent.bench.AgentThroughputBench "${1:-3000000}" "${2:-5}"
