#!/usr/bin/env bash
# Runs the role twice into a scratch prefix (the second run must change nothing), then checks the
# files and the rendered unit. Needs ansible (apt-get install -y ansible) and the built agent jar.
set -euo pipefail
cd "$(dirname "$0")"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
export ANSIBLE_ROLES_PATH="$PWD/roles" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
ansible-playbook -i localhost, -c local playbooks/test-local.yml -e prefix="$prefix" >/dev/null
second=$(ansible-playbook -i localhost, -c local playbooks/test-local.yml -e prefix="$prefix")
echo "$second" | grep -q 'changed=0' || { echo "second run changed something:"; echo "$second"; exit 1; }
test -f "$prefix/opt/callwatch-agent/callwatch-agent.jar"
test "$(stat -c %a "$prefix/etc/callwatch/agent.secret")" = 600
grep -q '^NoNewPrivileges=yes' "$prefix/etc/systemd/system/callwatch-agent.service"
java -jar "$prefix/opt/callwatch-agent/callwatch-agent.jar" --check-config "$prefix/etc/callwatch/agent.yaml"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$prefix/etc/systemd/system/callwatch-agent.service" 2>&1 | grep -v -E 'not executable|No such file|Failed to|ExecStart' || true
fi
echo "role OK: idempotent, files in place, config accepted by the agent"
