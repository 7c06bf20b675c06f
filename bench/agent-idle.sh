#!/usr/bin/env bash
# The agent's CPU share and RSS at the platform's average rate (600 lines/s), measured after a warm-up.
# Usage: bench/agent-idle.sh [SECONDS] [LINES_PER_SECOND]   (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -cp "$BENCH_CP" callwatch.aggregator.bench.AgentIdleBench "${1:-60}" "${2:-600}"
