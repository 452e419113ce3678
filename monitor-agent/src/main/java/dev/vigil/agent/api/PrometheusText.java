package dev.vigil.agent.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.vigil.agent.collect.Snapshot;
import dev.vigil.agent.collect.Snapshot.DiskHealth;
import dev.vigil.agent.collect.Snapshot.DiskIo;
import dev.vigil.agent.collect.Snapshot.DiskUsage;
import dev.vigil.agent.collect.Snapshot.NetIo;
import dev.vigil.agent.collect.Snapshot.ProbeResult;
import dev.vigil.agent.collect.Snapshot.ServiceState;
import dev.vigil.agent.collect.Snapshot.Temperature;

/** The snapshot in the Prometheus text exposition format (0.0.4), every name prefixed {@code vigil_}. */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    private PrometheusText() {
    }

    static byte[] render(Snapshot s) {
        PrometheusText t = new PrometheusText();
        t.family("vigil_agent_info", "gauge", "The agent's version and the host it reports.");
        t.sample("vigil_agent_info", 1, "version", s.agentVersion(), "hostname", s.hostname());
        t.gauge("vigil_boot_time_seconds", "Host boot time, seconds since the epoch.", s.bootTime());
        t.gauge("vigil_uptime_seconds", "Seconds since the host booted.", s.uptimeSeconds());
        t.gauge("vigil_snapshot_timestamp_seconds", "When this snapshot was collected, seconds since the epoch.",
                s.collectedAt().toEpochMilli() / 1000.0);

        t.gauge("vigil_cpu_usage_percent", "CPU busy share over the last sample interval, 0-100.", s.cpu().percent());
        t.family("vigil_cpu_core_usage_percent", "gauge", "Per-CPU busy share over the last sample interval, 0-100.");
        for (int i = 0; i < s.cpu().perCpuPercent().size(); i++) {
            t.sample("vigil_cpu_core_usage_percent", s.cpu().perCpuPercent().get(i), "cpu", Integer.toString(i));
        }
        t.family("vigil_cpus", "gauge", "Number of CPUs: logical (online) and physical cores.");
        t.sample("vigil_cpus", s.cpu().countLogical(), "kind", "logical");
        t.sample("vigil_cpus", s.cpu().countPhysical(), "kind", "physical");
        List<Double> load = s.cpu().loadAvg();
        if (load.size() == 3) {
            t.gauge("vigil_load1", "1-minute load average.", load.get(0));
            t.gauge("vigil_load5", "5-minute load average.", load.get(1));
            t.gauge("vigil_load15", "15-minute load average.", load.get(2));
        }

        var vm = s.virtualMemory();
        t.gauge("vigil_memory_total_bytes", "Total physical memory.", vm.total());
        t.gauge("vigil_memory_available_bytes", "Memory available to new work without swapping (MemAvailable).",
                vm.available());
        t.gauge("vigil_memory_used_bytes", "Memory used (total - free - buffers - cache), as psutil.", vm.used());
        t.gauge("vigil_memory_free_bytes", "Memory not used at all (MemFree).", vm.free());
        t.gauge("vigil_memory_usage_percent", "(total - available) / total, 0-100.", vm.percent());
        var swap = s.swapMemory();
        t.gauge("vigil_swap_total_bytes", "Total swap space.", swap.total());
        t.gauge("vigil_swap_used_bytes", "Swap space in use.", swap.used());
        t.gauge("vigil_swap_free_bytes", "Swap space free.", swap.free());
        t.gauge("vigil_swap_usage_percent", "Swap used / total, 0-100.", swap.percent());

        t.filesystems("vigil_filesystem_size_bytes", "Filesystem size.", s.diskUsage(), DiskUsage::total);
        t.filesystems("vigil_filesystem_used_bytes", "Filesystem space used.", s.diskUsage(), DiskUsage::used);
        t.filesystems("vigil_filesystem_free_bytes", "Filesystem space still available to unprivileged users.",
                s.diskUsage(), DiskUsage::free);
        t.family("vigil_filesystem_usage_percent", "gauge", "used / (used + free), 0-100, as df and psutil.");
        for (DiskUsage d : s.diskUsage()) {
            t.sample("vigil_filesystem_usage_percent", d.percent(), fsLabels(d));
        }

        t.counters("vigil_disk_read_bytes_total", "Bytes read from the disk.", "device", s.diskIoCounters(),
                DiskIo::readBytes);
        t.counters("vigil_disk_written_bytes_total", "Bytes written to the disk.", "device", s.diskIoCounters(),
                DiskIo::writeBytes);
        t.counters("vigil_disk_reads_completed_total", "Reads completed.", "device", s.diskIoCounters(),
                DiskIo::readCount);
        t.counters("vigil_disk_writes_completed_total", "Writes completed.", "device", s.diskIoCounters(),
                DiskIo::writeCount);

        Map<String, NetIo> nics = s.netIoCounters();
        t.counters("vigil_network_receive_bytes_total", "Bytes received.", "interface", nics, NetIo::bytesRecv);
        t.counters("vigil_network_transmit_bytes_total", "Bytes sent.", "interface", nics, NetIo::bytesSent);
        t.counters("vigil_network_receive_packets_total", "Packets received.", "interface", nics,
                NetIo::packetsRecv);
        t.counters("vigil_network_transmit_packets_total", "Packets sent.", "interface", nics, NetIo::packetsSent);
        t.counters("vigil_network_receive_errs_total", "Receive errors.", "interface", nics, NetIo::errin);
        t.counters("vigil_network_transmit_errs_total", "Transmit errors.", "interface", nics, NetIo::errout);
        t.counters("vigil_network_receive_drop_total", "Incoming packets dropped.", "interface", nics,
                NetIo::dropin);
        t.counters("vigil_network_transmit_drop_total", "Outgoing packets dropped.", "interface", nics,
                NetIo::dropout);

        t.temperatures("vigil_temperature_celsius", "Sensor temperature.", s, Temperature::current);
        t.temperatures("vigil_temperature_high_celsius", "Sensor's high threshold.", s, Temperature::high);
        t.temperatures("vigil_temperature_critical_celsius", "Sensor's critical threshold.", s,
                Temperature::critical);

        t.gauge("vigil_processes", "Number of processes.", s.processes().total());

        t.family("vigil_service_active", "gauge", "1 when the watched systemd unit is active, else 0.");
        for (ServiceState u : s.services()) {
            t.sample("vigil_service_active", u.activeState().equals("active") ? 1 : 0, "unit", u.unit());
        }
        t.family("vigil_service_state", "gauge", "The watched unit's current states, as labels (value 1).");
        for (ServiceState u : s.services()) {
            t.sample("vigil_service_state", 1, "unit", u.unit(), "active_state", u.activeState(),
                    "sub_state", u.subState(), "load_state", u.loadState());
        }
        t.probes("vigil_probe_up", "1 when the probe's latest check passed, else 0.", s, p -> p.ok() ? 1 : 0);
        t.probes("vigil_probe_latency_seconds", "How long the probe's latest check took, until it passed or failed.",
                s, p -> p.latencyMs() / 1000);
        t.probes("vigil_probe_consecutive_failures", "The probe's failed checks in a row; 0 after a pass.", s,
                ProbeResult::consecutiveFailures);
        if (!s.diskHealth().isEmpty()) {
            t.family("vigil_disk_smart_healthy", "gauge", "1 when the disk's SMART overall health passes, else 0.");
            for (DiskHealth h : s.diskHealth()) {
                t.sample("vigil_disk_smart_healthy", h.passed() ? 1 : 0, "device", h.device());
            }
        }
        s.publicIp().map(Snapshot.PublicIp::address).ifPresent(address -> {
            t.family("vigil_public_ip_info", "gauge", "The host's address as the internet sees it (value 1).");
            t.sample("vigil_public_ip_info", 1, "address", address);
        });
        return t.out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String[] fsLabels(DiskUsage d) {
        return new String[] {"mountpoint", d.mountpoint(), "device", d.device(), "fstype", d.fstype()};
    }

    private void filesystems(String name, String help, List<DiskUsage> disks, ToLongFunction<DiskUsage> value) {
        family(name, "gauge", help);
        for (DiskUsage d : disks) {
            sample(name, value.applyAsLong(d), fsLabels(d));
        }
    }

    private <T> void counters(String name, String help, String label, Map<String, T> byName,
                              ToLongFunction<T> value) {
        family(name, "counter", help);
        byName.forEach((key, v) -> sample(name, value.applyAsLong(v), label, key));
    }

    private void temperatures(String name, String help, Snapshot s, Function<Temperature, Double> value) {
        family(name, "gauge", help);
        s.sensorsTemperatures().forEach((chip, sensors) -> {
            for (int i = 0; i < sensors.size(); i++) {
                Temperature sensor = sensors.get(i);
                Double v = value.apply(sensor);
                if (v != null) {
                    String label = sensor.label().isEmpty() ? "temp" + (i + 1) : sensor.label();
                    sample(name, v, "chip", chip, "sensor", label);
                }
            }
        });
    }

    private void probes(String name, String help, Snapshot s, ToDoubleFunction<ProbeResult> value) {
        family(name, "gauge", help);
        for (ProbeResult p : s.probes()) {
            sample(name, value.applyAsDouble(p), "name", p.name());
        }
    }

    private void gauge(String name, String help, double value) {
        family(name, "gauge", help);
        sample(name, value);
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).toPlainString();
    }
}
