#!/usr/bin/env bash
# Test stand-in for `systemctl restart callwatch-aggregator` on a member installed into a scratch
# root (no systemd here): stops the running member gracefully (SIGTERM, as systemd does) and starts
# it again from its installed jar and config. Usage: restart-member.sh ROOT
set -euo pipefail
root=$1
if [ -f "$root/pid" ] && kill -0 "$(cat "$root/pid")" 2>/dev/null; then
  pid=$(cat "$root/pid")
  kill -TERM "$pid"
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
fi
"$(dirname "$0")/start-member.sh" "$root"
