#!/bin/sh
# The Telegram outage drill of docs/telegram.md: the Bot API stand-in refuses every call for SECONDS (default 600,
# the documented form; CI runs 30) while incidents open, are acknowledged and resolve on a real server, and the bot
# is restarted halfway; then every notification must arrive exactly once, in order, within the rate limits.
#   telegram-bot/bench/outage.sh [SECONDS]
# Prints the result line (also in telegram-bot/target/telegram-outage-drill.txt).
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-600}
. ./.mvn/select-jdk.sh
echo "Telegram outage drill: ${seconds} s of refused calls (building first) ..."
./mvnw -q -B -ntp -pl telegram-bot -am -Dskip.npm -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=OutageDrillIT -Dfailsafe.failIfNoSpecifiedTests=false -Dvigil.drill.seconds="$seconds" verify
cat telegram-bot/target/telegram-outage-drill.txt
