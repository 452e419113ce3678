#!/bin/sh
# Benchmark: detection to remediation on loopback (docs/performance.md, "Remediation").
#   server/bench/remediation.sh [failures=50] [poll-interval-seconds=10] [agents=5]
# Starts a private dbus-daemon with a stand-in systemd, the packaged agents and the packaged server (embedded
# MariaDB, dry run off), all on 127.0.0.1; injects the failures (failed units, failing probes, runaway python3
# processes) one every 3 s and prints, per kind, the time from the first sample showing a failure to the action
# that fixed it finishing. Exits 1 when the p99 misses one poll interval + 2 s or a failure was not fixed.
# Needs dbus-daemon (apt-get install -y dbus) and python3. Logs stay in server/target/remediation-bench-<time>/.
set -eu
exec "$(dirname "$0")/fleet-bench" remediation-bench RemediationBench "dbus-daemon python3" \
  "${1:-50}" "${2:-10}" "${3:-5}"
