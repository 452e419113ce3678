#!/bin/sh
# Benchmark: the Vigil server polling an agent farm into its embedded MariaDB, next to raw JDBC batch inserts.
#   server/bench/run.sh [hosts=1000] [measured-seconds=300] [IngestBench options, e.g. --warmup 30]
# The server runs through its launcher (server/packaging/vigil-server) with its default JVM settings;
# VIGIL_SERVER_JVM_OPTS replaces them (e.g. to add -XX:StartFlightRecording=filename=x.jfr).
# Starts the server (embedded MariaDB, data in server/target/bench-<time>/data, removed at the end) and one
# AgentFarm process simulating the agents, both on 127.0.0.1 (common.sh); IngestBench registers the hosts, warms
# up for 60 s, measures, inserts raw rows and prints a markdown table. Logs stay in server/target/bench-<time>/.
# Needs curl. Exits 1 when the server did not sustain the hosts.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
hosts=${1:-1000}
seconds=${2:-300}
shift $(($# < 2 ? $# : 2))
token=bench-token
. server/bench/common.sh
bench_prepare bench
# The bench logs in as an admin of its own (made at start) and works with an API token.
start_server
start_farm "$hosts" "$token"
wait_ready
api_token=$(issue_api_token)
echo "Server pid $server_pid on :$server_port, MariaDB on :$database_port; $(cat "$run/farm.log"); logs in $run"

# The bench runs the server's own ingest code too (its jar names its libs/), and the MariaDB driver for raw inserts.
"$java" -cp server/target/vigil-server.jar server/bench/IngestBench.java \
  --server "$server_url" --farm "http://127.0.0.1:$farm_port" --server-pid "$server_pid" \
  --db-port "$database_port" --hosts "$hosts" --measure "$seconds" --token "$token" --api-token "$api_token" "$@"
