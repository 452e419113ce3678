package dev.vigil.agent.collect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sample of the host, shaped like psutil's results on Linux: bytes, percent 0–100, seconds since the epoch.
 * {@code diskHealth} is empty unless SMART checks are enabled; {@code probes} unless probes are configured.
 */
public record Snapshot(String hostname,
                       String agentVersion,
                       Instant collectedAt,
                       long bootTime,
                       long uptimeSeconds,
                       Cpu cpu,
                       VirtualMemory virtualMemory,
                       SwapMemory swapMemory,
                       List<DiskUsage> diskUsage,
                       Map<String, DiskIo> diskIoCounters,
                       Map<String, NetIo> netIoCounters,
                       Map<String, List<Temperature>> sensorsTemperatures,
                       Processes processes,
                       List<ServiceState> services,
                       List<DiskHealth> diskHealth,
                       List<ProbeResult> probes,
                       Optional<PublicIp> publicIp) {

    public record Cpu(double percent, List<Double> perCpuPercent, int countLogical, int countPhysical,
                      List<Double> loadAvg) {
    }

    public record VirtualMemory(long total, long available, long used, long free, double percent) {
    }

    public record SwapMemory(long total, long used, long free, double percent) {
    }

    public record DiskUsage(String mountpoint, String device, String fstype, long total, long used, long free,
                            double percent) {
    }

    public record DiskIo(long readBytes, long writeBytes, long readCount, long writeCount) {
    }

    public record NetIo(long bytesSent, long bytesRecv, long packetsSent, long packetsRecv,
                        long errin, long errout, long dropin, long dropout) {
    }

    /** {@code high} and {@code critical} are null where the sensor does not report them, as psutil's None. */
    public record Temperature(String label, double current, Double high, Double critical) {
    }

    public record Processes(int total, List<ProcessInfo> top) {
    }

    public record ProcessInfo(int pid, String name, String username, double cpuPercent, double memoryPercent,
                              long rss, double createTime) {
    }

    /** The host's address as the internet sees it ({@code address} null until a lookup works). */
    public record PublicIp(String address) {
    }

    public record ServiceState(String unit, String activeState, String subState, String loadState) {
    }

    /** SMART overall health of one disk; {@code status} is smartctl's own word (PASSED, FAILED, OK, …). */
    public record DiskHealth(String device, boolean passed, String status) {
    }

    /**
     * The latest finished check of a probe: {@code error} says why it failed, null when it passed;
     * {@code consecutiveFailures} counts the failed checks in a row, 0 after a pass.
     */
    public record ProbeResult(String name, String unit, String target, boolean ok, double latencyMs, String error,
                              int consecutiveFailures) {
    }
}
