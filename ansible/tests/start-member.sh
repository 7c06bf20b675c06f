#!/usr/bin/env bash
# Starts an aggregator member installed by the role into a scratch root, from its installed jar
# and config, in the background; its pid goes to ROOT/pid. Usage: start-member.sh ROOT
set -euo pipefail
root=$1
nohup java -Xmx384m -jar "$root/opt/callwatch-aggregator/callwatch-aggregator.jar" "$root/etc/callwatch/aggregator.json" \
  >> "$root/member.log" 2>&1 < /dev/null &
echo $! > "$root/pid"
disown
