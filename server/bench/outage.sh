#!/bin/sh
# Benchmark-style check of issue 14's "after a 60 s server outage, every host's history has no missing step":
# three real agents (sampling every 500 ms) polled every 5 s by the server on the embedded MariaDB; the server
# stops, stays away for the given seconds, starts again on the same database and backfills each host's gap from
# its agent's history (BackfillTest, docs/server.md "Backfill"). Fails when any host has a step missing.
#   server/bench/outage.sh [seconds-away=60]
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
away=${1:-60}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "outage: the server away for $away s, three agents; building and running (about $((away + 90)) s)"
if ./mvnw -B -ntp -pl server -am -Dskip.npm -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest='BackfillTest#aServerStartedAgainOnTheSameDatabaseBackfillsEveryHostsGapSinceItsLastSample' \
    -Dbackfill.away.seconds="$away" test >"$log" 2>&1; then
  grep -h '^backfill:' server/target/surefire-reports/dev.vigil.server.poll.BackfillTest-output.txt
else
  grep -E '^backfill:|Tests run:|timed out|a hole of|BUILD|ERROR' "$log" | head -n 20 || tail -n 40 "$log"
  echo "outage: FAILED (whole log: rerun with the same command; the test's reports are in server/target/surefire-reports)"
  exit 1
fi
