#!/bin/sh
# The fault-injection suite of docs/reliability.md, long form: every scenario on loopback, each bounded in time
# and stopping by itself (about 25 minutes, most of it the Telegram stand-in's 10-minute outage). The short form of
# the same scenarios runs in every `./mvnw verify` (and so in CI).
#   server/bench/faults.sh            the long form (the documented results)
#   server/bench/faults.sh short      the short form only, as CI runs it
# Prints the results table (also in server/target/faults-report.md).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ./.mvn/select-jdk.sh
form=${1:-long}
case "$form" in
  long) drill=600 ;;
  short) drill=30 ;;
  *) echo "faults: the form is 'long' or 'short', not '$form'" >&2; exit 2 ;;
esac
log=$(mktemp)
trap 'rm -f "$log"' EXIT
report=server/target/faults-report.md
mkdir -p server/target
rm -f "$report"
echo "faults: the $form form (building first; progress in $log)"
if ! ./mvnw -B -ntp -pl server,telegram-bot -am -Dskip.npm -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='FaultsIT,DatabaseFaultsIT,ReplicasIT,ExactlyOnceIT,OutageDrillIT' \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dvigil.faults="$form" -Dvigil.drill.seconds="$drill" \
    verify >"$log" 2>&1; then
  grep -E 'Tests run:|FAIL|within|expected|BUILD|ERROR' "$log" | head -n 30
  echo "faults: FAILED (the reports are in server/target/failsafe-reports and telegram-bot/target/failsafe-reports)"
  exit 1
fi
drill_result=$(cat telegram-bot/target/telegram-outage-drill.txt)
drained=$(echo "$drill_result" | sed -n 's/.*all delivered \([0-9.]*\) s after.*/\1/p')
echo "| Telegram stand-in down (OutageDrillIT) | ${drill} s | ${drained} s | ${drill_result} |" >>"$report"
echo "| Scenario | Fault held | Recovered in | Outcome |"
echo "|---|---|---|---|"
cat "$report"
