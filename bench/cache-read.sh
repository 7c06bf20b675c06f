#!/usr/bin/env bash
# The member's CPU to read 1,440 slot keys from the cache: Hazelcast's getAll in one call against
# callwatch's ManyKeys (calls of a few partitions each). Median of ROUNDS rounds of READS each.
# Usage: bench/cache-read.sh [ROUNDS=5] [READS=200]      (build first: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp aggregator/target/callwatch-aggregator.jar callwatch.aggregator.bench.CacheReadBench "${1:-5}" "${2:-200}"
