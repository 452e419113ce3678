package dev.vigil.rules.model;

import java.util.List;

import org.kie.api.definition.type.Role;
import org.kie.api.definition.type.Timestamp;

/**
 * A host's latest sample: the session holds one per host, replaced by the next poll. What a rule needs from
 * earlier samples it keeps itself, in {@link Streak}s. The sample carries its {@link Host}, so that a rule
 * compares a reading with the host's limit within the one pattern: {@code Sample(cpuPercent > host.limit(…))}
 * is tested as the sample comes in, before any join.
 *
 * @param timestamp              when the server received it, epoch milliseconds (the session's clock)
 * @param memoryAvailablePercent memory available to new work, 100 − psutil's {@code virtual_memory.percent}
 * @param load1                  the 1-minute load average; compare it with {@code cpuCount}
 * @param disks                  the SMART health of the host's disks; empty unless its agent checks SMART
 */
@Role(Role.Type.EVENT)
@Timestamp("timestamp")
public record Sample(Host host, long timestamp, double cpuPercent, int cpuCount, double memoryAvailablePercent,
                     double swapPercent, double load1, double load5, double load15, List<Filesystem> filesystems,
                     List<Temperature> temperatures, List<Process> processes, List<Probe> probes,
                     List<DiskHealth> disks) {

    public Sample {
        filesystems = List.copyOf(filesystems);
        temperatures = List.copyOf(temperatures);
        processes = List.copyOf(processes);
        probes = List.copyOf(probes);
        disks = List.copyOf(disks);
    }

    public long hostId() {
        return host.id();
    }

    /** Some sensor is at its own high limit: lets temperature rules skip the samples of cool hosts. */
    public boolean hot() {
        return temperatures.stream().anyMatch(t -> t.high() != null && t.current() >= t.high());
    }

    /** The fullest filesystem's percent, 0 with none: lets disk rules skip samples with room everywhere. */
    public double fullestFilesystemPercent() {
        return filesystems.stream().mapToDouble(Filesystem::percent).max().orElse(0);
    }

    /** The most failures in a row of any probe, 0 with none: lets probe rules skip samples where probes pass. */
    public int mostConsecutiveProbeFailures() {
        return probes.stream().mapToInt(Probe::consecutiveFailures).max().orElse(0);
    }

    /** Some disk's SMART health fails: lets SMART rules skip the samples of hosts whose disks pass. */
    public boolean diskFailing() {
        return disks.stream().anyMatch(disk -> !disk.passed());
    }
}
