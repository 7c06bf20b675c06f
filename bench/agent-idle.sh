#!/usr/bin/env bash
# The agent's CPU share and RSS at the platform's average rate (600 lines/s), measured after a warm-up.
# Usage: bench/agent-idle.sh [SECONDS] [LINES_PER_SECOND]   (build first: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.AgentIdleBench "${1:-60}" "${2:-600}"
