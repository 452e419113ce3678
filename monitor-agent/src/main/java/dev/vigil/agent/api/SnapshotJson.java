package dev.vigil.agent.api;

import java.util.List;
import java.util.Map;

import dev.vigil.agent.collect.Snapshot;
import dev.vigil.agent.collect.Snapshot.DiskHealth;
import dev.vigil.agent.collect.Snapshot.DiskIo;
import dev.vigil.agent.collect.Snapshot.DiskUsage;
import dev.vigil.agent.collect.Snapshot.NetIo;
import dev.vigil.agent.collect.Snapshot.ProbeResult;
import dev.vigil.agent.collect.Snapshot.ProcessInfo;
import dev.vigil.agent.collect.Snapshot.ServiceState;
import dev.vigil.agent.collect.Snapshot.Temperature;
import dev.vigil.agent.time.Timestamps;

/** The snapshot as the JSON of the external contract: psutil's field names. */
final class SnapshotJson {
    private SnapshotJson() {
    }

    static byte[] render(Snapshot s) {
        JsonWriter w = new JsonWriter(8192).beginObject();
        w.name("hostname").value(s.hostname());
        w.name("agent_version").value(s.agentVersion());
        w.name("collected_at").value(Timestamps.iso8601(s.collectedAt()));
        w.name("boot_time").value(s.bootTime());
        w.name("uptime_seconds").value(s.uptimeSeconds());

        w.name("cpu").beginObject();
        w.name("percent").value(s.cpu().percent());
        doubles(w.name("per_cpu_percent"), s.cpu().perCpuPercent());
        w.name("count_logical").value(s.cpu().countLogical());
        w.name("count_physical").value(s.cpu().countPhysical());
        doubles(w.name("load_avg"), s.cpu().loadAvg());
        w.endObject();

        var vm = s.virtualMemory();
        w.name("virtual_memory").beginObject()
                .name("total").value(vm.total()).name("available").value(vm.available())
                .name("used").value(vm.used()).name("free").value(vm.free()).name("percent").value(vm.percent())
                .endObject();
        var swap = s.swapMemory();
        w.name("swap_memory").beginObject()
                .name("total").value(swap.total()).name("used").value(swap.used())
                .name("free").value(swap.free()).name("percent").value(swap.percent())
                .endObject();

        w.name("disk_usage").beginArray();
        for (DiskUsage d : s.diskUsage()) {
            w.beginObject().name("mountpoint").value(d.mountpoint()).name("device").value(d.device())
                    .name("fstype").value(d.fstype()).name("total").value(d.total()).name("used").value(d.used())
                    .name("free").value(d.free()).name("percent").value(d.percent()).endObject();
        }
        w.endArray();

        w.name("disk_io_counters").beginObject();
        for (Map.Entry<String, DiskIo> e : s.diskIoCounters().entrySet()) {
            DiskIo d = e.getValue();
            w.name(e.getKey()).beginObject().name("read_bytes").value(d.readBytes())
                    .name("write_bytes").value(d.writeBytes()).name("read_count").value(d.readCount())
                    .name("write_count").value(d.writeCount()).endObject();
        }
        w.endObject();

        w.name("net_io_counters").beginObject();
        for (Map.Entry<String, NetIo> e : s.netIoCounters().entrySet()) {
            NetIo n = e.getValue();
            w.name(e.getKey()).beginObject().name("bytes_sent").value(n.bytesSent())
                    .name("bytes_recv").value(n.bytesRecv()).name("packets_sent").value(n.packetsSent())
                    .name("packets_recv").value(n.packetsRecv()).name("errin").value(n.errin())
                    .name("errout").value(n.errout()).name("dropin").value(n.dropin())
                    .name("dropout").value(n.dropout()).endObject();
        }
        w.endObject();

        w.name("sensors_temperatures").beginObject();
        for (Map.Entry<String, List<Temperature>> e : s.sensorsTemperatures().entrySet()) {
            w.name(e.getKey()).beginArray();
            for (Temperature t : e.getValue()) {
                w.beginObject().name("label").value(t.label()).name("current").value(t.current())
                        .name("high").value(t.high()).name("critical").value(t.critical()).endObject();
            }
            w.endArray();
        }
        w.endObject();

        w.name("processes").beginObject().name("total").value(s.processes().total()).name("top").beginArray();
        for (ProcessInfo p : s.processes().top()) {
            w.beginObject().name("pid").value(p.pid()).name("name").value(p.name())
                    .name("username").value(p.username()).name("cpu_percent").value(p.cpuPercent())
                    .name("memory_percent").value(p.memoryPercent()).name("rss").value(p.rss())
                    .name("create_time").value(p.createTime()).endObject();
        }
        w.endArray().endObject();

        w.name("services").beginArray();
        for (ServiceState u : s.services()) {
            service(w.beginObject(), u).endObject();
        }
        w.endArray();

        w.name("probes").beginArray();
        for (ProbeResult p : s.probes()) {
            probe(w.beginObject(), p).endObject();
        }
        w.endArray();

        w.name("disk_health").beginArray();
        for (DiskHealth h : s.diskHealth()) {
            w.beginObject().name("device").value(h.device()).name("passed").value(h.passed())
                    .name("status").value(h.status()).endObject();
        }
        w.endArray();

        // only with the lookup configured: the snapshot of every other agent stays as it was
        s.publicIp().ifPresent(ip -> w.name("public_ip").value(ip.address()));

        return w.endObject().toBytes();
    }

    /** The members of a {@code services[]} element; unit events carry the same. */
    static JsonWriter service(JsonWriter w, ServiceState u) {
        return w.name("unit").value(u.unit()).name("active_state").value(u.activeState())
                .name("sub_state").value(u.subState()).name("load_state").value(u.loadState());
    }

    /** The members of a {@code probes[]} element; probe events carry the same. */
    static JsonWriter probe(JsonWriter w, ProbeResult p) {
        return w.name("name").value(p.name()).name("unit").value(p.unit())
                .name("target").value(p.target()).name("ok").value(p.ok())
                .name("latency_ms").value(p.latencyMs()).name("error").value(p.error())
                .name("consecutive_failures").value(p.consecutiveFailures());
    }

    private static void doubles(JsonWriter w, List<Double> values) {
        w.beginArray();
        values.forEach(w::value);
        w.endArray();
    }
}
