#!/usr/bin/env bash
# Starts an aggregator member installed by the role into a scratch root, from its installed jar
# and config, in the background, with the JVM flags of the role's systemd unit (heap, young
# generation, collector, compiler: a flag the JVM refused would stop the member here, as at a real
# start); its pid goes to ROOT/pid. Usage: start-member.sh ROOT
set -euo pipefail
root=$1
unit="$root/etc/systemd/system/callwatch-aggregator.service"
read -r -a flags <<< "$(sed -n 's/^ExecStart=[^ ]* \(.*\) -jar .*/\1/p' "$unit")"
[ ${#flags[@]} -gt 0 ] || { echo "no JVM flags in the ExecStart of $unit"; exit 1; }
nohup java "${flags[@]}" -jar "$root/opt/callwatch-aggregator/callwatch-aggregator.jar" "$root/etc/callwatch/aggregator.json" \
  >> "$root/member.log" 2>&1 < /dev/null &
echo $! > "$root/pid"
disown
