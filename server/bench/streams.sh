#!/bin/sh
# Benchmark: what the agents' event streams (issue 14) cost the server — run.sh twice on the same machine, the
# server polling alone (VIGIL_AGENTS_EVENTS=false), then polling and following every agent's event stream (true;
# the farm sends a heartbeat every 15 s and a unit event per agent every 300 s on average).
#   server/bench/streams.sh [hosts=5000] [measured-seconds=300] [IngestBench options, e.g. --warmup 30]
# Prints both runs' tables, then the server JVM's CPU over the window and its RSS at the window's end side by side
# with their ratio. Exits 1 when either is more than 20 % above polling alone, when fewer than 99 % of the hosts
# had their stream open at the end or no event reached the server (the comparison would mean nothing), or when
# a run printed no table; a run that did not sustain its polls is said so, and only that.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
hosts=${1:-5000}
seconds=${2:-300}
shift $(($# < 2 ? $# : 2))
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# cell MODE ROW-START: the value cell of the first table row of that run starting with ROW-START.
cell() {
  grep -F "| $2" "$logs/$1.log" | head -n 1 | awk -F ' [|] ' '{print $2}' | sed 's/ |$//'
}

# number TEXT N: the N-th number in TEXT.
number() {
  echo "$1" | grep -oE '[0-9][0-9,]*(\.[0-9]+)?' | sed -n "$2p" | tr -d ,
}

for events in false true; do
  echo "== server/bench/run.sh $hosts $seconds with VIGIL_AGENTS_EVENTS=$events"
  status=0
  VIGIL_AGENTS_EVENTS=$events server/bench/run.sh "$hosts" "$seconds" --raw-seconds 5 "$@" >"$logs/$events.log" 2>&1 \
    || status=$?
  cat "$logs/$events.log"
  if [ -z "$(cell "$events" "CPU: server JVM")" ]; then
    echo "streams: the run with VIGIL_AGENTS_EVENTS=$events printed no table (exit $status)" >&2
    exit 1
  fi
  [ "$status" -eq 0 ] || echo "NOTE: with VIGIL_AGENTS_EVENTS=$events the server did not sustain the polls (exit $status)"
done

cpu_off=$(number "$(cell false "CPU: server JVM")" 1)
cpu_on=$(number "$(cell true "CPU: server JVM")" 1)
db_cpu_off=$(number "$(cell false "CPU: server JVM")" 3)
db_cpu_on=$(number "$(cell true "CPU: server JVM")" 3)
rss_off=$(number "$(cell false "RSS at the end of the window")" 1)
rss_on=$(number "$(cell true "RSS at the end of the window")" 1)
db_rss_off=$(number "$(cell false "RSS at the end of the window")" 2)
db_rss_on=$(number "$(cell true "RSS at the end of the window")" 2)
open_on=$(number "$(cell true "agents' event streams open")" 1)
events_on=$(number "$(cell true "stream events in the window")" 1)

awk -v hosts="$hosts" -v seconds="$seconds" -v cpu_off="$cpu_off" -v cpu_on="$cpu_on" -v db_cpu_off="$db_cpu_off" \
  -v db_cpu_on="$db_cpu_on" -v rss_off="$rss_off" -v rss_on="$rss_on" -v db_rss_off="$db_rss_off" \
  -v db_rss_on="$db_rss_on" -v open_on="$open_on" -v events_on="$events_on" \
  -v streams_off="$(cell false "agents' event streams open")" -v streams_on="$(cell true "agents' event streams open")" \
  -v events_off_cell="$(cell false "stream events in the window")" \
  -v events_on_cell="$(cell true "stream events in the window")" '
  BEGIN {
    cpu = cpu_on / cpu_off
    rss = rss_on / rss_off
    printf "\n| %d hosts, %d s measured | polling alone | with event streams | ratio |\n|---|---|---|---|\n", hosts, seconds
    printf "| CPU in the window: server JVM | %.1f s | %.1f s | %.2f |\n", cpu_off, cpu_on, cpu
    printf "| CPU in the window: its MariaDB | %.1f s | %.1f s | %.2f |\n", db_cpu_off, db_cpu_on, db_cpu_on / db_cpu_off
    printf "| RSS at the end of the window: server JVM | %d MiB | %d MiB | %.2f |\n", rss_off, rss_on, rss
    printf "| RSS at the end of the window: its MariaDB | %d MiB | %d MiB | %.2f |\n", db_rss_off, db_rss_on, db_rss_on / db_rss_off
    printf "| event streams open at the end: server / farm; hosts polling alone | %s | %s | |\n", streams_off, streams_on
    printf "| stream events in the window: server / farm | %s | %s | |\n", events_off_cell, events_on_cell
    if (open_on < 0.99 * hosts || events_on < 1) {
      verdict = sprintf("**not established**: %d of %d streams open at the end, %d events received", open_on, hosts, events_on)
      status = 1
    } else if (cpu > 1.2 || rss > 1.2) {
      verdict = sprintf("**no**: CPU %+.0f %%, RSS %+.0f %%", 100 * (cpu - 1), 100 * (rss - 1))
      status = 1
    } else {
      verdict = sprintf("**yes**: CPU %+.0f %%, RSS %+.0f %%", 100 * (cpu - 1), 100 * (rss - 1))
      status = 0
    }
    printf "| server JVM with streams within 20 %% of polling alone | %s | | |\n", verdict
    exit status
  }'
