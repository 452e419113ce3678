#!/bin/sh
# Benchmark: detection to remediation on loopback (docs/performance.md, "Remediation").
#   server/bench/remediation.sh [failures=50] [poll-interval-seconds=10] [agents=5]
# Starts a private dbus-daemon with a stand-in systemd, the packaged agents and the packaged server (embedded
# MariaDB, dry run off), all on 127.0.0.1; injects the failures (failed units, failing probes, runaway python3
# processes) one every 3 s and prints, per kind, the time from the first sample showing a failure to the action
# that fixed it finishing. Exits 1 when the p99 misses one poll interval + 2 s or a failure was not fixed.
# Needs dbus-daemon (apt-get install -y dbus) and python3. Logs stay in server/target/remediation-bench-<time>/.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
for program in dbus-daemon python3; do
  if ! command -v "$program" >/dev/null; then
    echo "bench: $program is not installed" >&2
    exit 2
  fi
done
# the bench uses the agent's test helpers (the stand-in systemd) from its test jar
if [ ! -f server/target/vigil-server.jar ] || [ ! -f monitor-agent/target/vigil-agent-tests.jar ]; then
  ./mvnw -q -B -DskipTests package -pl server -am
fi
unset VIGIL_DB_URL VIGIL_DB_USER VIGIL_DB_PASSWORD VIGIL_SECRET_KEY
run=$repo/server/target/remediation-bench-$(date +%Y%m%d-%H%M%S)
classpath=monitor-agent/target/vigil-agent-tests.jar:monitor-agent/target/vigil-agent.jar
classes=$(server/bench/compile "$classpath" RemediationBench BenchFleet)
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$classes:$classpath" \
  RemediationBench "${1:-50}" "${2:-10}" "${3:-5}" "$run"
