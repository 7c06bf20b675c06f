#!/usr/bin/env bash
# The member's CPU to read 1,440 slot keys from the cache: Hazelcast's getAll in one call against
# callwatch's ManyKeys (calls of a few partitions each). Median of ROUNDS rounds of READS each.
# Usage: bench/cache-read.sh [ROUNDS=5] [READS=200]      (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -Xmx1g -cp "$BENCH_CP" callwatch.aggregator.bench.CacheReadBench "${1:-5}" "${2:-200}"
