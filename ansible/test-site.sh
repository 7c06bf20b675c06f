#!/usr/bin/env bash
# Applies site.yml to this machine (connection local) into scratch roots: three aggregator members
# and one application server. Twice: the second run must change nothing. Then starts the installed
# members and agent from their installed configs, sees a batch stored, runs the rolling restart
# while the agent ships calls, and checks that every call is stored once on every member.
# Needs ansible, java and the built jars (mvn -B -q install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")"
root=$(mktemp -d)
cleanup() {
  for p in "$root"/*/pid; do [ -f "$p" ] && kill -KILL "$(cat "$p")" 2>/dev/null || true; done
  touch "$root/stop"
  rm -rf "$root"
}
trap cleanup EXIT
export ANSIBLE_ROLES_PATH="$PWD/roles" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
h1=$(free_port); h2=$(free_port); h3=$(free_port)
mkdir -p "$root/logs"
# the cluster's certificate (in production from the vault): the members' event bus runs over TLS
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$root/cluster.key" -out "$root/cluster.crt" -days 2 \
  -subj /CN=callwatch-cluster 2>/dev/null
cat > "$root/inventory.yml" <<INV
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: $(command -v python3)
  children:
    aggregators:
      vars:
        callwatch_aggregator_manage_user: false
        callwatch_aggregator_manage_service: false
        callwatch_aggregator_manage_firewall: false
        callwatch_aggregator_install_java: false
        callwatch_aggregator_cluster_host: 127.0.0.1
        callwatch_aggregator_http_host: 127.0.0.1
        callwatch_aggregator_heap_mb: 384
        callwatch_aggregator_cluster_name: site-test-$$
        callwatch_aggregator_agents: {app1: site-test-secret-1}
        callwatch_aggregator_cluster_tls_cert: "{{ lookup('file', '$root/cluster.crt') }}"
        callwatch_aggregator_cluster_tls_key: "{{ lookup('file', '$root/cluster.key') }}"
        callwatch_aggregator_users: {site-op: {role: operator, hash: "\$2b\$12\$TzuGIVcp3sDX.jIDdqx7ROvCDQjtGFIARQG3MJBHnq2LnHPwyeE5q"}}
      hosts:
        agg1: {callwatch_aggregator_prefix: $root/agg1, callwatch_aggregator_cluster_port: 5791, callwatch_aggregator_http_port: $h1, callwatch_restart_command: [$PWD/tests/restart-member.sh, $root/agg1]}
        agg2: {callwatch_aggregator_prefix: $root/agg2, callwatch_aggregator_cluster_port: 5792, callwatch_aggregator_http_port: $h2, callwatch_restart_command: [$PWD/tests/restart-member.sh, $root/agg2]}
        agg3: {callwatch_aggregator_prefix: $root/agg3, callwatch_aggregator_cluster_port: 5793, callwatch_aggregator_http_port: $h3, callwatch_restart_command: [$PWD/tests/restart-member.sh, $root/agg3]}
    app_servers:
      hosts:
        app1:
          callwatch_agent_prefix: $root/app1
          callwatch_agent_manage_user: false
          callwatch_agent_manage_service: false
          callwatch_agent_id: app1
          callwatch_agent_secret: site-test-secret-1
          callwatch_agent_aggregators: [ws://127.0.0.1:$h1/agent, ws://127.0.0.1:$h2/agent, ws://127.0.0.1:$h3/agent]
          callwatch_agent_files: [{glob: "$root/logs/app.log*", format: app}]
INV

echo "site.yml, first run"
ansible-playbook -i "$root/inventory.yml" site.yml -e ansible_become=false > "$root/first.out" 2>&1 || { tail -40 "$root/first.out"; exit 1; }
second=$(ansible-playbook -i "$root/inventory.yml" site.yml -e ansible_become=false)
echo "$second" | grep -E '^(agg|app)[0-9]' | grep -v 'changed=0' && { echo "second run changed something:"; echo "$second"; exit 1; }
for m in agg1 agg2 agg3; do
  test "$(stat -c %a "$root/$m/etc/callwatch/agents.json")" = 600
  test "$(stat -c %a "$root/$m/etc/callwatch/users.json")" = 600
  test "$(stat -c %a "$root/$m/etc/callwatch/cluster.key")" = 600
  grep -q '"certPem": ".*/cluster.crt"' "$root/$m/etc/callwatch/aggregator.json"
  grep -q '^MemoryMax=832M' "$root/$m/etc/systemd/system/callwatch-aggregator.service"
  grep -q '^ExecStart=.* -Xmx384m -Xms384m -Xmn153m -XX:+UseG1GC .* -XX:MaxInlineLevel=5 -jar ' "$root/$m/etc/systemd/system/callwatch-aggregator.service"
  grep -q 'tcp dport { 57[0-9]*, 67[0-9]* } ip saddr @members accept' "$root/$m/etc/nftables.d/callwatch-aggregator.nft"
done
echo "second run: changed=0 on every host; files, unit and firewall rules in place"

health() { curl -s "http://127.0.0.1:$1/api/health" || true; }
wait_for() { # what, seconds, command...
  local what=$1 max=$2; shift 2
  for _ in $(seq 1 $((max * 2))); do "$@" && return 0; sleep 0.5; done
  echo "timed out waiting for: $what"; for m in agg1 agg2 agg3; do echo "== $m"; tail -20 "$root/$m/member.log" || true; done; exit 1
}
all_healthy() { for p in $h1 $h2 $h3; do health "$p" | grep -q '"status":"ok"' || return 1; done; }
for m in agg1 agg2 agg3; do tests/start-member.sh "$root/$m"; done
wait_for "three members up" 120 all_healthy
nohup java -Xmx96m -jar "$root/app1/opt/callwatch-agent/callwatch-agent.jar" "$root/app1/etc/callwatch/agent.yaml" \
  > "$root/agent.log" 2>&1 < /dev/null &
echo $! > "$root/app1/pid"
disown
python3 tests/write-calls.py "$root/logs/app.log" 100 "$root/stop" > "$root/written" &
writer=$!
# the account from the inventory (its hash made by `user add site-op operator` with this password)
cookie() { curl -s -i -H 'content-type: application/json' -d '{"user":"site-op","password":"site-test-password-1"}' \
  "http://127.0.0.1:$1/api/login" | tr -d '\r' | sed -n 's/^set-cookie: \(cw_session=[^;]*\).*/\1/Ip'; }
c1=$(cookie $h1)
test -n "$c1" || { echo "the inventory's account cannot log in"; exit 1; }
stored_batch() { curl -s -H "cookie: $c1" "http://127.0.0.1:$h1/api/agents" | python3 -c 'import json,sys; a=[x for x in json.load(sys.stdin)["agents"] if x["agent"]=="app1"]; sys.exit(0 if a and a[0]["lastSeq"] > 0 else 1)'; }
wait_for "a batch of the installed agent stored" 60 stored_batch
echo "the installed agent's batches are stored"

echo "rolling restart while the agent ships calls"
ansible-playbook -i "$root/inventory.yml" rolling-restart.yml -e ansible_become=false > "$root/rolling.out" 2>&1 \
  || { tail -5 "$root/rolling.out"; for p in $h1 $h2 $h3; do health "$p"; echo; done
       for m in agg1 agg2 agg3; do echo "== $m"; grep -v '^\s*at ' "$root/$m/member.log" | tail -15; done; exit 1; }
touch "$root/stop"
wait "$writer"
written=$(cat "$root/written")
from=$(( $(date +%s) - 3600 )); to=$(( $(date +%s) + 600 ))
total() { curl -s -H "cookie: $(cookie $1)" "http://127.0.0.1:$1/api/series/*.calls?from=$from&to=$to" | python3 -c 'import json,sys; print(sum(int(p[1]) for p in json.load(sys.stdin)["points"] if p[1] is not None))'; }
exact() { for p in $h1 $h2 $h3; do [ "$(total "$p")" = "$written" ] || return 1; done; }
wait_for "every member holds the $written calls" 120 exact
sleep 3
exact || { echo "a count changed after it was exact: counted twice"; exit 1; }
echo "site OK: idempotent; installed members and agent run; rolling restart: $written calls stored once on each of the three members"
