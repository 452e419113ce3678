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
exec "$(dirname "$0")/fleet-bench" detection-bench DetectionBench "dbus-daemon python3 monit" \
  "${1:-50}" "${2:-10}" "${3:-10}"
