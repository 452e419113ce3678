#!/bin/sh
# Benchmark: evaluations per second of the default rules with live state (rules/bench/RulesBench.java).
#   rules/bench/run.sh [measured-seconds=30] [hosts ...=2000 10000]
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
seconds=${1:-30}
[ $# -gt 0 ] && shift
hosts=${*:-2000 10000}
./mvnw -q -B -DskipTests package -pl rules -am
# absolute: the plugin runs in the module's folder, where a relative path would land in rules/rules/target
classpath_file=$repo/rules/target/bench-classpath.txt
./mvnw -q -B dependency:build-classpath -pl rules -Dmdep.outputFile="$classpath_file"
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); machine: $(nproc) cores"
for n in $hosts; do
  # the JVM the server runs with (server/packaging/vigil-server): G1, heap up to 1 GiB
  "$JAVA_HOME/bin/java" -Xms64m -Xmx1g -cp "rules/target/classes:$(cat "$classpath_file")" \
    rules/bench/RulesBench.java "$n" "$seconds" 2>&1 | grep -v '^SLF4J'
done
