package dev.vigil.agent.collect;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.vigil.agent.collect.Snapshot.Cpu;
import dev.vigil.agent.collect.Snapshot.DiskHealth;
import dev.vigil.agent.collect.Snapshot.Processes;
import dev.vigil.agent.collect.Snapshot.VirtualMemory;

/**
 * Samples the host on its own schedule and hands each snapshot to a consumer, so that requests only ever read
 * the latest one. Unit states, SMART health and probes are read on their own threads: a slow bus, disk or
 * service never delays the metrics.
 */
public final class Sampler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sampler.class.getName());

    /**
     * @param interval      time between two samples
     * @param smartInterval time between two SMART checks (when {@code smart} is set)
     * @param probes        the probes, checked every interval; null when none are configured
     * @param publicIp      the public IP lookup, on its own interval; null when it is off
     */
    public record Settings(String agentVersion, ProcFs procFs, SysFs sysFs, Filesystems filesystems,
                           ProcessSource processes, Duration interval, SystemdUnits units,
                           SmartHealth smart, Duration smartInterval, Prober probes, PublicIpLookup publicIp) {
    }

    /** Where the process table comes from: {@link ProcessTable} in production. */
    public interface ProcessSource {
        Processes sample(long memoryTotal) throws IOException;
    }

    private final Settings settings;
    private final Consumer<Snapshot> publish;
    private final Clock clock;
    private final List<ScheduledExecutorService> schedules = new ArrayList<>();
    private final AtomicReference<List<DiskHealth>> diskHealth = new AtomicReference<>(List.of());
    /** The parts that cannot be read now, with why: logged once, and said by {@link #components()}. */
    private final Map<String, String> failingParts = new ConcurrentHashMap<>();
    private final int physicalCores;
    private List<CpuTimes> previousCpu = List.of();

    public Sampler(Settings settings, Consumer<Snapshot> publish, Clock clock) {
        this.settings = settings;
        this.publish = publish;
        this.clock = clock;
        this.physicalCores = part("CPU topology", settings.sysFs()::physicalCoreCount, 0);
    }

    /**
     * Takes the first sample before returning, so the agent never serves an empty snapshot; unit states, SMART
     * health and probe results join the snapshots as soon as their first reading is in.
     */
    public void start() {
        if (settings.units() != null) {
            schedule("vigil-services", Duration.ZERO, settings.interval(), settings.units()::read);
        }
        if (settings.probes() != null) {
            schedule("vigil-probes", Duration.ZERO, settings.interval(), settings.probes()::launch);
        }
        sampleAndPublish();
        every("vigil-sampler", settings.interval(), this::sampleAndPublish);
        if (settings.smart() != null) {
            schedule("vigil-smart", Duration.ZERO, settings.smartInterval(),
                    () -> diskHealth.set(settings.smart().check()));
        }
        if (settings.publicIp() != null) {
            schedule("vigil-public-ip", Duration.ZERO, settings.publicIp().interval(), settings.publicIp()::refresh);
        }
    }

    private void every(String name, Duration period, Runnable task) {
        schedule(name, period, period, task);
    }

    private void schedule(String name, Duration delay, Duration period, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name).daemon().stackSize(256 * 1024).factory());
        schedules.add(executor);
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, name + " failed; it runs again in " + period, e);
            }
        }, delay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sampleAndPublish() {
        try {
            publish.accept(sample());
            if (failingParts.remove("sample") != null) {
                LOG.info("Sampling works again");
            }
        } catch (IOException | RuntimeException e) {
            if (failingParts.put("sample", String.valueOf(e.getMessage())) == null) {
                LOG.log(Level.SEVERE, "Sampling failed; the last good snapshot stays served: " + e, e);
            }
        }
    }

    /** One sample. CPU percentages cover the time since the previous sample (since boot for the first). */
    synchronized Snapshot sample() throws IOException {
        ProcFs proc = settings.procFs();
        List<CpuTimes> cpuTimes = proc.cpuTimes();
        List<CpuTimes> previous = previousCpu.size() == cpuTimes.size() ? previousCpu : List.of();
        previousCpu = cpuTimes;
        double total = cpuTimes.get(0).percentSince(previous.isEmpty() ? CpuTimes.ZERO : previous.get(0));
        List<Double> perCpu = new ArrayList<>(cpuTimes.size() - 1);
        for (int i = 1; i < cpuTimes.size(); i++) {
            perCpu.add(cpuTimes.get(i).percentSince(previous.isEmpty() ? CpuTimes.ZERO : previous.get(i)));
        }
        Cpu cpu = new Cpu(total, perCpu, perCpu.size(), physicalCores,
                part("load average", proc::loadAvg, List.of()));

        MemInfo memInfo = proc.memInfo();
        VirtualMemory memory = memInfo.virtualMemory();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long bootTime = proc.bootTime();
        return new Snapshot(
                part("hostname", proc::hostname, "unknown"),
                settings.agentVersion(),
                now,
                bootTime,
                Math.max(0, now.getEpochSecond() - bootTime),
                cpu,
                memory,
                memInfo.swapMemory(),
                part("filesystems", () -> settings.filesystems().usage(proc.mounts(), proc.deviceFilesystemTypes()),
                        List.of()),
                part("disk I/O", proc::diskIo, Map.of()),
                part("network I/O", proc::netIo, Map.of()),
                part("temperatures", settings.sysFs()::temperatures, Map.of()),
                part("processes", () -> settings.processes().sample(memory.total()), new Processes(0, List.of())),
                settings.units() == null ? List.of() : settings.units().current(),
                diskHealth.get(),
                settings.probes() == null ? List.of() : settings.probes().latest(),
                Optional.ofNullable(settings.publicIp()).map(PublicIpLookup::latest));
    }

    private interface Part<T> {
        T read() throws IOException;
    }

    /** A part that cannot be read is left empty and logged once, until it can be read again. */
    private <T> T part(String name, Part<T> part, T whenMissing) {
        try {
            T value = part.read();
            if (failingParts.remove(name) != null) {
                LOG.info("Reporting " + name + " again");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (failingParts.put(name, String.valueOf(e.getMessage())) == null) {
                LOG.warning("Not reporting " + name + ": " + e);
            }
            return whenMissing;
        }
    }

    /**
     * How the sampler's parts are: {@code sampler} (the parts of a sample that cannot be read), and, when
     * configured, {@code dbus} (systemd on the system bus) and {@code probes} (the probes that fail). Empty: ok.
     */
    public Map<String, Optional<String>> components() {
        Map<String, Optional<String>> components = new TreeMap<>();
        components.put("sampler", failingParts.isEmpty() ? Optional.empty() : Optional.of("cannot read "
                + new TreeMap<>(failingParts).entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "))));
        if (settings.units() != null) {
            components.put("dbus", settings.units().problem());
        }
        if (settings.probes() != null) {
            List<String> failing = settings.probes().latest().stream().filter(p -> !p.ok())
                    .map(p -> p.name() + " (" + p.error() + ")").toList();
            components.put("probes", failing.isEmpty() ? Optional.empty()
                    : Optional.of("failing: " + String.join(", ", failing)));
        }
        return components;
    }

    @Override
    public void close() {
        schedules.forEach(ScheduledExecutorService::shutdownNow);
        if (settings.units() != null) {
            settings.units().close();
        }
        if (settings.probes() != null) {
            settings.probes().close();
        }
    }
}
