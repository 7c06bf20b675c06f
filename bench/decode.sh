#!/usr/bin/env bash
# The member's CPU per backlog batch (one agent's ten minutes at the platform's rate): the checked
# decoder (JSON tree) against ingest's streaming decoder, median of ROUNDS rounds of BATCHES each.
# Usage: bench/decode.sh [ROUNDS=5] [BATCHES=300]      (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.DecodeBench "${1:-5}" "${2:-300}"
