#!/bin/sh
# Builds Vigil and runs it on its embedded defaults. Today that is the monitor agent for this machine,
# listening on 127.0.0.1:9130 with a freshly generated read token, printed once below.
# Environment variables of the agent (java -jar monitor-agent/target/vigil-agent.jar --help) pass through.
set -eu
cd "$(dirname "$0")"
. ./.mvn/select-jdk.sh
echo "Building Vigil (JDK: $JAVA_HOME) ..."
./mvnw -q -B -DskipTests package
if [ -z "${VIGIL_AGENT_TOKEN:-}" ]; then
  VIGIL_AGENT_TOKEN=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
  generated=yes
fi
export VIGIL_AGENT_TOKEN
export VIGIL_AGENT_HOST="${VIGIL_AGENT_HOST:-127.0.0.1}"
export VIGIL_AGENT_PORT="${VIGIL_AGENT_PORT:-9130}"
url="http://$VIGIL_AGENT_HOST:$VIGIL_AGENT_PORT"
echo
if [ "${generated:-}" = yes ]; then
  echo "Read token (generated now, shown only this once): $VIGIL_AGENT_TOKEN"
fi
echo "Vigil agent: $url  (Ctrl-C stops it)"
echo "  curl -H \"Authorization: Bearer \$TOKEN\" $url/api/v1/metrics"
echo "  curl -H \"Authorization: Bearer \$TOKEN\" $url/metrics"
echo
exec monitor-agent/packaging/vigil-agent
