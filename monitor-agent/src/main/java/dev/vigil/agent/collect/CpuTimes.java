package dev.vigil.agent.collect;

/** One {@code cpu} line of /proc/stat, in clock ticks. */
public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
                       long steal, long guest, long guestNice) {

    public static final CpuTimes ZERO = new CpuTimes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Parses the numbers after the {@code cpu}/{@code cpuN} label; older kernels have fewer columns. */
    static CpuTimes parse(String[] fields) {
        long[] v = new long[10];
        for (int i = 1; i < fields.length && i <= v.length; i++) {
            v[i - 1] = Long.parseLong(fields[i]);
        }
        return new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    /** Linux counts guest time inside user time already, so psutil leaves it out of the total. */
    long total() {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }

    long busy() {
        return total() - idle - iowait;
    }

    /** psutil's {@code cpu_percent}: busy share of the ticks elapsed since {@code earlier}, 0–100, one decimal. */
    double percentSince(CpuTimes earlier) {
        long allDelta = total() - earlier.total();
        long busyDelta = busy() - earlier.busy();
        if (allDelta <= 0 || busyDelta <= 0) {
            return 0.0;
        }
        return Math.min(100.0, Percent.round1(100.0 * busyDelta / allDelta));
    }
}
