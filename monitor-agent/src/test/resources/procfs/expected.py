#!/usr/bin/python3
"""Writes expected.json for each captured procfs fixture: what psutil itself computes from those files.

Run with Debian's python3-psutil:  /usr/bin/python3 expected.py   (from this folder)
psutil.PROCFS_PATH makes psutil read the fixture instead of /proc. CPU percent needs two readings, so
stat.1 and then stat.2 are put in place as "stat" around two cpu_percent() calls.
"""
import json
import os
import shutil

import psutil

here = os.path.dirname(os.path.abspath(__file__))
for host in sorted(d for d in os.listdir(here) if os.path.isdir(os.path.join(here, d))):
    root = os.path.join(here, host)
    psutil.PROCFS_PATH = root
    stat = os.path.join(root, "stat")
    shutil.copy(os.path.join(root, "stat.1"), stat)
    psutil.cpu_percent(interval=None)
    psutil.cpu_percent(interval=None, percpu=True)
    logical = psutil.cpu_count()  # from stat.1: the number of cpuN lines
    shutil.copy(os.path.join(root, "stat.2"), stat)
    expected = {
        "psutil_version": psutil.__version__,
        "cpu_percent": psutil.cpu_percent(interval=None),
        "per_cpu_percent": psutil.cpu_percent(interval=None, percpu=True),
        "boot_time": psutil.boot_time(),
        "virtual_memory": psutil.virtual_memory()._asdict(),
        "swap_memory": {k: v for k, v in psutil.swap_memory()._asdict().items() if k in ("total", "used", "free", "percent")},
        "disk_partitions": [p.mountpoint for p in psutil.disk_partitions(all=False)],
        "disk_io_counters": {k: {"read_bytes": v.read_bytes, "write_bytes": v.write_bytes,
                                 "read_count": v.read_count, "write_count": v.write_count}
                             for k, v in psutil.disk_io_counters(perdisk=True, nowrap=False).items()},
        "net_io_counters": {k: v._asdict() for k, v in psutil.net_io_counters(pernic=True, nowrap=False).items()},
    }
    os.remove(stat)
    with open(os.path.join(root, "expected.json"), "w") as out:
        json.dump(expected, out, indent=2, sort_keys=True)
        out.write("\n")
    print(host, "->", os.path.join(host, "expected.json"))
