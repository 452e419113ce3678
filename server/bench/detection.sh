#!/bin/sh
# Benchmark: a dead service to its restart, Vigil (event streams) against Monit (docs/performance.md, "Detection").
#   server/bench/detection.sh [trials=50] [poll-interval-seconds=10] [monit-cycle-seconds=10]
# Vigil: a private dbus-daemon with the stand-in systemd, one packaged agent, the packaged server (embedded MariaDB,
# dry run off) polling it; each trial fails one unit at a random moment of the poll cycle and times the restart the
# stand-in receives. Monit: Debian's monit on a control file of its own, a process killed at a random moment of its
# cycle, timed until it runs again. Exits 1 when Vigil's p99 is over 1 s or a unit was not restarted.
# Needs dbus-daemon, python3 and monit (apt-get install -y dbus monit). Logs stay in
# server/target/detection-bench-<time>/.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
for program in dbus-daemon python3 monit; do
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
run=$repo/server/target/detection-bench-$(date +%Y%m%d-%H%M%S)
classpath=monitor-agent/target/vigil-agent-tests.jar:monitor-agent/target/vigil-agent.jar
classes=$(server/bench/compile "$classpath" DetectionBench BenchFleet MonitTrials)
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$classes:$classpath" \
  DetectionBench "${1:-50}" "${2:-10}" "${3:-10}" "$run"
