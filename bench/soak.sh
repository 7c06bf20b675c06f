#!/usr/bin/env bash
# Soak: three aggregator members and AGENTS agents as separate processes at LINES_PER_SECOND (the
# platform's 2 M lines an hour by default), a random member killed with SIGKILL and restarted every
# KILL_EVERY seconds at a random moment (new round-robin files are being created all along), for
# MINUTES minutes; then every member's count of every service is compared with what was written.
# Usage: bench/soak.sh [MINUTES] [AGENTS] [LINES_PER_SECOND] [KILL_EVERY]
#        (build first: mvn -B -q install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
# the driver runs from a copy too: a rebuild during the run must not swap its classes
jar=$(mktemp --suffix=.jar)
trap 'rm -f "$jar"' EXIT
cp aggregator/target/callwatch-aggregator.jar "$jar"
java -Xmx256m -cp "$jar" callwatch.aggregator.bench.SoakBench "${1:-20}" "${2:-14}" "${3:-556}" "${4:-120}"
