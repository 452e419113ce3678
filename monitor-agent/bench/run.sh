#!/bin/sh
# Benchmark: the Vigil agent against Prometheus' node_exporter, side by side on loopback.
#   monitor-agent/bench/run.sh [requests=1000] [soak-seconds=600]
# Needs prometheus-node-exporter (apt-get install -y prometheus-node-exporter). Results: docs/performance.md.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
exporter=$(command -v prometheus-node-exporter || command -v node_exporter || true)
if [ -z "$exporter" ]; then
  echo "bench: node_exporter is not installed (apt-get install -y prometheus-node-exporter)" >&2
  exit 2
fi
# Built when missing or older than any of its sources: a stale jar once measured yesterday's code.
if [ ! -f monitor-agent/target/vigil-agent.jar ] || [ -n "$(find pom.xml settings monitor-agent -path '*/target' -prune \
    -o -newer monitor-agent/target/vigil-agent.jar -type f -print | head -n 1)" ]; then
  ./mvnw -q -B -ntp -Dskip.npm -DskipTests package -pl monitor-agent -am
fi
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); node_exporter: $("$exporter" --version 2>&1 | head -n 1)"
echo "Machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB"
"$JAVA_HOME/bin/java" monitor-agent/bench/AgentBench.java --startup monitor-agent/packaging/vigil-agent 10
exec "$JAVA_HOME/bin/java" monitor-agent/bench/AgentBench.java monitor-agent/packaging/vigil-agent "$exporter" "${1:-1000}" "${2:-600}"
