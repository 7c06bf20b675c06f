#!/usr/bin/env bash
# Catch-up after an outage: HOURS of the platform's calls (2 M an hour) across AGENTS agent
# processes and one aggregator member; the shape is 'outage' (agents run through the outage cutting
# a batch every flush, 60x compressed clock, then the aggregator returns), 'spooled' (agents read the
# backlog while the aggregator is down and spool it in large batches) or 'files' (fresh agents read the backlog from their files).
# Prints the time until every call is exact and on disk, mawk's time on the same files, the
# aggregator's CPU seconds per million calls (from its start, and from when it is healthy: its own start
# apart) and each process's peak RSS.
# usage: bench/catch-up.sh [HOURS=4] [AGENTS=14] [spooled|files|outage] [AGGREGATOR_HEAP=2g] [AGENT_HEAP=96m] [sigterm]
# (sigterm: stop the member with SIGTERM 10 s into the catch-up and print how long it takes to exit)
set -eu
cd "$(dirname "$0")/.."
. bench/classpath.sh
# AGG_JVM_FLAGS: the member's JVM flags instead of the deployed ones (e.g. a JFR recording, another compiler)
# CALLS_PER_HOUR (the platform's, default 2000000) and FILES (each agent's backlog in that many rotated
# files, default 1): a long backlog, e.g. four weeks in 14 files for one agent:
#   CALLS_PER_HOUR=36000 FILES=14 bench/catch-up.sh 672 1 files
# MEMBERS (default 1): that many aggregator members in one Hazelcast cluster, started together; every
# call is then stored on each and each batch copied to a peer's journal; CPU-s are the members' sum.
# THREADS=true: also each member's CPU by kind of thread (GC, refinement, compiler, pools), not only by part
props=(-Dbench.callsPerHour="${CALLS_PER_HOUR:-2000000}" -Dbench.files="${FILES:-1}" -Dbench.members="${MEMBERS:-1}" -Dbench.threads="${THREADS:-false}")
args=("${1:-4}" "${2:-14}" "${3:-spooled}" "${4:-2g}" "${5:-96m}" "${6:-}")
main=("${props[@]}" -cp "$BENCH_CP" callwatch.aggregator.bench.CatchUpBench)
if [ -n "${AGG_JVM_FLAGS:-}" ]; then
  exec java -Xmx512m "-Dbench.jvmArgs.agg=$AGG_JVM_FLAGS" "${main[@]}" "${args[@]}"
fi
exec java -Xmx512m "${main[@]}" "${args[@]}"
