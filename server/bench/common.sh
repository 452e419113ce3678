# The server benchmarks' shared machinery (sourced by run.sh and ui.sh, from the repository's root with the JDK
# selected): the packaged server (server/packaging/vigil-server, embedded MariaDB, data in the run's folder,
# removed at the end) and one AgentFarm process, both on 127.0.0.1, started, awaited and stopped.
# After bench_prepare NAME: $run (the run's folder below server/target, its logs stay there), $java.
# After start_server, start_farm and wait_ready: $server_pid, $database_pid, $farm_pid, $server_port,
# $database_port, $farm_port, $server_url; the admin is $admin_user with $admin_password.

# bench_prepare NAME: needs curl and the server's jar (built if missing); the run's folder, the cleanup trap;
# says which JDK on what machine.
bench_prepare() {
  if ! command -v curl >/dev/null; then
    echo "bench: curl is not installed (apt-get install -y curl)" >&2
    exit 2
  fi
  # Built when missing or older than any of its sources: a stale jar once measured yesterday's code.
  if [ ! -f server/target/vigil-server.jar ] || [ -n "$(find pom.xml settings rules server frontend/src \
      frontend/package.json -path '*/target' -prune -o -newer server/target/vigil-server.jar -type f -print | head -n 1)" ]; then
    ./mvnw -q -B -ntp -DskipTests package -pl server -am
  fi
  # The benches measure the embedded MariaDB, with a secret key of their own.
  unset VIGIL_DB_URL VIGIL_DB_USER VIGIL_DB_PASSWORD VIGIL_SECRET_KEY
  run=$repo/server/target/$1-$(date +%Y%m%d-%H%M%S)
  mkdir -p "$run"
  java=$JAVA_HOME/bin/java
  server_pid=""
  database_pid=""
  farm_pid=""
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  echo "JDK: $("$java" -version 2>&1 | head -n 1); machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB"
}

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

# start_server: the packaged server with its default JVM settings (VIGIL_SERVER_JVM_OPTS replaces them) and an
# admin of the bench's own, made at start; it follows the agents' event streams unless VIGIL_AGENTS_EVENTS=false
# (streams.sh compares the two).
start_server() {
  admin_user=bench
  admin_password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  VIGIL_DATA_DIR=$run/data VIGIL_RULES_DIR=$run/data/rules VIGIL_SERVER_HOST=127.0.0.1 VIGIL_SERVER_PORT=0 \
    VIGIL_ADMIN_USER=$admin_user VIGIL_ADMIN_PASSWORD=$admin_password VIGIL_AGENTS_EVENTS=${VIGIL_AGENTS_EVENTS:-true} \
    JAVA=$java \
    server/packaging/vigil-server >"$run/server.log" 2>&1 &
  server_pid=$!
}

# start_farm AGENTS TOKEN: the agent farm answering as AGENTS agents that want TOKEN.
start_farm() {
  # Serial GC keeps the farm's own cost small: it shares the cores with the server it measures.
  "$java" -XX:+UseSerialGC server/bench/AgentFarm.java 0 "$1" "$2" >"$run/farm.log" 2>&1 &
  farm_pid=$!
}

# wait_ready: the ports of the server, its MariaDB and the farm, once they listen; then the server's readiness.
wait_ready() {
  database_port=$(port_from "$run/server.log" "Starting the embedded MariaDB in .* on 127\.0\.0\.1" "$server_pid" \
    "the server")
  server_port=$(port_from "$run/server.log" "Vigil server on http://127\.0\.0\.1" "$server_pid" "the server")
  farm_port=$(port_from "$run/farm.log" "AgentFarm: .* on http://127\.0\.0\.1" "$farm_pid" "the agent farm")
  server_url=http://127.0.0.1:$server_port
  database_pid=$(ps -o pid= --ppid "$server_pid" | head -n 1 | tr -d ' ')
  waited=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$server_url/health/ready")" = 200 ]; do
    if [ "$waited" -ge 60 ]; then
      echo "bench: the server on :$server_port is not ready after 60 s (log: $run/server.log)" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# issue_api_token [ROLE=admin]: prints a new API token of the bench's admin.
issue_api_token() {
  VIGIL_PASSWORD=$admin_password server/packaging/vigil-api-token "$server_url" "$admin_user" bench "${1:-admin}"
}

# register_hosts COUNT INTERVAL AGENT_TOKEN API_TOKEN: registers the farm's agents 1…COUNT as farm-1 … farm-COUNT
# polled every INTERVAL s, 8 requests at a time in one curl (the server gives every host a random first poll
# within its interval, so registering them at once does not make them poll at once).
register_hosts() {
  started=$(date +%s)
  codes=$(i=1; while [ "$i" -le "$1" ]; do
      [ "$i" -eq 1 ] || echo next
      printf 'url = "%s/api/v1/hosts"\nheader = "Authorization: Bearer %s"\n' "$server_url" "$4"
      printf 'header = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n'
      printf 'data = "{\\"name\\":\\"farm-%d\\",\\"url\\":\\"http://127.0.0.1:%s/agents/%d\\",' "$i" "$farm_port" "$i"
      printf '\\"token\\":\\"%s\\",\\"interval_seconds\\":%d}"\n' "$3" "$2"
      i=$((i + 1))
    done | curl -sS --no-progress-meter --parallel --parallel-max 8 -K - | sort | uniq -c | tr -s ' \n' '  ')
  if [ "$codes" != " $1 201 " ]; then
    echo "bench: registering $1 hosts: HTTP status (count status):$codes (log: $run/server.log)" >&2
    exit 1
  fi
  echo "Registered $1 hosts (farm-1 … farm-$1, every $2 s) in $(($(date +%s) - started)) s"
}
