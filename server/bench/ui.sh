#!/bin/sh
# Benchmark: the admin UI's dashboard at N hosts in Chromium (docs/performance.md, "Admin UI: dashboard at 1,000
# hosts").
#   server/bench/ui.sh [hosts=1000] [runs=5]
# Starts the packaged server (embedded MariaDB) and one AgentFarm process as N agents, both on 127.0.0.1
# (common.sh), registers the agents as hosts polled every 10 s, waits until 95 % of them are up, then runs
# frontend/bench/dashboard.mjs (Node, playwright-core, the system's Chromium; VIGIL_CHROMIUM names another):
# RUNS first loads of the dashboard to a usable grid, and 20 stored changes to their rows on the open page.
# Prints a markdown table; exits 1 when the first load's median misses 1,500 ms or the change's p95 1,000 ms.
# Needs curl and Chromium. Logs stay in server/target/ui-bench-<time>/.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
hosts=${1:-1000}
runs=${2:-5}
interval=10
token=bench-token
chromium=${VIGIL_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "bench: Chromium is not installed at $chromium (apt-get install -y chromium, or set VIGIL_CHROMIUM)" >&2
  exit 2
fi
. server/bench/common.sh
bench_prepare ui-bench
# The build puts Node in frontend/node and playwright-core in frontend/node_modules.
node=frontend/node/node
if [ ! -x "$node" ] || [ ! -d frontend/node_modules/playwright-core ]; then
  ./mvnw -q -B -ntp -DskipTests package -pl server -am
fi
start_server
start_farm "$hosts" "$token"
wait_ready
api_token=$(issue_api_token)
echo "Server pid $server_pid on :$server_port, MariaDB on :$database_port; $(cat "$run/farm.log"); logs in $run"
register_hosts "$hosts" "$interval" "$token" "$api_token"

# hosts.up of GET /api/v1/stats, until 95 % are up (every host is polled once within its interval)
waited=0
while :; do
  up=$(curl -fsS -H "Authorization: Bearer $api_token" "$server_url/api/v1/stats" \
    | sed -n 's/.*"hosts":{[^}]*"up":\([0-9]*\).*/\1/p')
  [ "${up:-0}" -lt $((hosts * 95 / 100)) ] || break
  if [ "$waited" -ge $((interval * 6)) ]; then
    echo "bench: only ${up:-0} of $hosts hosts are up after $waited s (log: $run/server.log)" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
echo "$up of $hosts hosts up after $waited s; Chromium: $("$chromium" --version 2>/dev/null || echo "$chromium")"

VIGIL_USER=$admin_user VIGIL_PASSWORD=$admin_password VIGIL_API_TOKEN=$api_token VIGIL_CHROMIUM=$chromium \
  "$node" frontend/bench/dashboard.mjs "$server_url" "$hosts" "$runs"
