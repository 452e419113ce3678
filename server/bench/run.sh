#!/bin/sh
# Benchmark: the Vigil server polling an agent farm into its embedded MariaDB, next to raw JDBC batch inserts.
#   server/bench/run.sh [hosts=1000] [measured-seconds=300] [IngestBench options, e.g. --warmup 30]
# The server runs through its launcher (server/packaging/vigil-server) with its default JVM settings;
# VIGIL_SERVER_JVM_OPTS replaces them (e.g. to add -XX:StartFlightRecording=filename=x.jfr).
# Starts the server (embedded MariaDB, data in server/target/bench-<time>/data, removed at the end) and one
# AgentFarm process simulating the agents, both on 127.0.0.1; IngestBench registers the hosts, warms up for 60 s,
# measures, inserts raw rows and prints a markdown table. Logs stay in server/target/bench-<time>/.
# Needs curl. Exits 1 when the server did not sustain the hosts.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
hosts=${1:-1000}
seconds=${2:-300}
shift $(($# < 2 ? $# : 2))
token=bench-token
if ! command -v curl >/dev/null; then
  echo "bench: curl is not installed (apt-get install -y curl)" >&2
  exit 2
fi
[ -f server/target/vigil-server.jar ] || ./mvnw -q -B -DskipTests package -pl server -am
# The bench measures the embedded MariaDB, with a secret key of its own.
unset VIGIL_DB_URL VIGIL_DB_USER VIGIL_DB_PASSWORD VIGIL_SECRET_KEY
run=$repo/server/target/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"
java=$JAVA_HOME/bin/java
server_pid=""
database_pid=""
farm_pid=""

alive() {
  case $(ps -o stat= -p "$1" 2>/dev/null) in
    "" | Z*) return 1 ;;
    *) return 0 ;;
  esac
}

# stop PID SECONDS: TERM, then KILL if it is still running after SECONDS.
stop() {
  kill "$1" 2>/dev/null || return 0
  waited=0
  while alive "$1" && [ "$waited" -lt "$2" ]; do
    sleep 1
    waited=$((waited + 1))
  done
  if alive "$1"; then
    echo "bench: pid $1 did not stop within $2 s: killing it" >&2
    kill -9 "$1" 2>/dev/null || true
  fi
}

cleanup() {
  [ -z "$farm_pid" ] || stop "$farm_pid" 10
  # The server stops its MariaDB on the way out; a mariadbd left behind is stopped here, and said so.
  [ -z "$server_pid" ] || stop "$server_pid" 60
  if [ -n "$database_pid" ] && alive "$database_pid"; then
    echo "bench: the server left its MariaDB (pid $database_pid) running: stopping it" >&2
    stop "$database_pid" 30
  fi
  rm -rf "$run/data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# port_from LOG PATTERN PID WHAT: the port in the first line of LOG that has PATTERN ":<port>", once there
# (at most 180 s: the server's first start unpacks MariaDB).
port_from() {
  waited=0
  until line=$(grep -m 1 "$2:[0-9]" "$1"); do
    if ! alive "$3" || [ "$waited" -ge 180 ]; then
      echo "bench: $4 did not start (log: $1):" >&2
      tail -n 20 "$1" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "$line" | sed "s|.*$2:\([0-9]*\).*|\1|"
}

echo "JDK: $("$java" -version 2>&1 | head -n 1); machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB"
# The bench logs in as an admin of its own (made at start) and works with an API token.
admin_password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
VIGIL_DATA_DIR=$run/data VIGIL_RULES_DIR=$run/data/rules VIGIL_SERVER_HOST=127.0.0.1 VIGIL_SERVER_PORT=0 \
  VIGIL_ADMIN_USER=bench VIGIL_ADMIN_PASSWORD=$admin_password JAVA=$java \
  server/packaging/vigil-server >"$run/server.log" 2>&1 &
server_pid=$!
# Serial GC keeps the farm's own cost small: it shares the cores with the server it measures.
"$java" -XX:+UseSerialGC server/bench/AgentFarm.java 0 "$hosts" "$token" >"$run/farm.log" 2>&1 &
farm_pid=$!

database_port=$(port_from "$run/server.log" "Starting the embedded MariaDB in .* on 127\.0\.0\.1" "$server_pid" \
  "the server")
server_port=$(port_from "$run/server.log" "Vigil server on http://127\.0\.0\.1" "$server_pid" "the server")
farm_port=$(port_from "$run/farm.log" "AgentFarm: .* on http://127\.0\.0\.1" "$farm_pid" "the agent farm")
database_pid=$(ps -o pid= --ppid "$server_pid" | head -n 1 | tr -d ' ')
waited=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$server_port/health/ready")" = 200 ]; do
  if [ "$waited" -ge 60 ]; then
    echo "bench: the server on :$server_port is not ready after 60 s (log: $run/server.log)" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
api_token=$(VIGIL_PASSWORD=$admin_password server/packaging/vigil-api-token "http://127.0.0.1:$server_port" bench)
echo "Server pid $server_pid on :$server_port, MariaDB on :$database_port; $(cat "$run/farm.log"); logs in $run"

# The bench runs the server's own ingest code too (its jar names its libs/), and the MariaDB driver for raw inserts.
"$java" -cp server/target/vigil-server.jar server/bench/IngestBench.java \
  --server "http://127.0.0.1:$server_port" --farm "http://127.0.0.1:$farm_port" --server-pid "$server_pid" \
  --db-port "$database_port" --hosts "$hosts" --measure "$seconds" --token "$token" --api-token "$api_token" "$@"
