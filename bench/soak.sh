#!/usr/bin/env bash
# Soak: three aggregator members and AGENTS agents as separate processes at LINES_PER_SECOND (the
# platform's 2 M lines an hour by default), a random member killed with SIGKILL and restarted every
# KILL_EVERY seconds at a random moment (new round-robin files are being created all along), for
# MINUTES minutes; then every member's count of every service is compared with what was written.
# Usage: bench/soak.sh [MINUTES] [AGENTS] [LINES_PER_SECOND] [KILL_EVERY]
#        (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
# the driver runs from a copy too: a rebuild during the run must not swap its classes
jars=$(mktemp -d)
trap 'rm -rf "$jars"' EXIT
cp bench/target/callwatch-bench.jar aggregator/target/callwatch-aggregator.jar "$jars"
java -Xmx256m -cp "$jars/callwatch-bench.jar:$jars/callwatch-aggregator.jar" callwatch.aggregator.bench.SoakBench "${1:-20}" "${2:-14}" "${3:-556}" "${4:-120}"
