package dev.vigil.server;

import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** A snapshot as the agent answers it (DESIGN §3.2), with the readings a test chooses. */
public final class AgentJson {
    private AgentJson() {
    }

    /** Collected {@code at}, from a host booted a day before, whose java process started 100 s after the boot. */
    public static JsonObject snapshot(Instant at, double cpu, double memoryPercent, double rootDiskPercent,
                                      String nginxState) {
        long bootTime = at.getEpochSecond() - 86_400;
        return Json.createObjectBuilder()
                .add("hostname", "web-1").add("agent_version", "1.0.0").add("collected_at", at.toString())
                .add("boot_time", bootTime).add("uptime_seconds", 86_400)
                .add("cpu", Json.createObjectBuilder().add("percent", cpu)
                        .add("per_cpu_percent", Json.createArrayBuilder().add(cpu).add(cpu))
                        .add("count_logical", 2).add("count_physical", 1)
                        .add("load_avg", Json.createArrayBuilder().add(0.5).add(0.4).add(0.3)))
                .add("virtual_memory", Json.createObjectBuilder().add("total", 8_000_000_000L)
                        .add("available", (long) (8_000_000_000L * (100 - memoryPercent) / 100))
                        .add("used", 1).add("free", 1).add("percent", memoryPercent))
                .add("swap_memory", Json.createObjectBuilder().add("total", 0).add("used", 0).add("free", 0)
                        .add("percent", 0))
                .add("disk_usage", Json.createArrayBuilder().add(Json.createObjectBuilder().add("mountpoint", "/")
                        .add("device", "/dev/vda1").add("fstype", "ext4").add("total", 100).add("used", 1)
                        .add("free", 1).add("percent", rootDiskPercent)))
                .add("disk_io_counters", Json.createObjectBuilder())
                .add("net_io_counters", Json.createObjectBuilder().add("eth0", Json.createObjectBuilder()
                        .add("bytes_sent", 1000).add("bytes_recv", 2000).add("packets_sent", 1)
                        .add("packets_recv", 1).add("errin", 0).add("errout", 0).add("dropin", 0).add("dropout", 0)))
                .add("sensors_temperatures", Json.createObjectBuilder())
                .add("processes", Json.createObjectBuilder().add("total", 100).add("top", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("pid", 4242).add("name", "java").add("username", "app")
                                .add("cpu_percent", 3.1).add("memory_percent", 4.2).add("rss", 1000)
                                .add("create_time", bootTime + 100.5))))
                .add("services", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("unit", "nginx.service").add("active_state", nginxState)
                        .add("sub_state", nginxState.equals("active") ? "running" : nginxState)
                        .add("load_state", "loaded")))
                .add("probes", Json.createArrayBuilder())
                .build();
    }

    /** The snapshot with these probes, as {@link #probe} makes them. */
    public static JsonObject withProbes(JsonObject snapshot, JsonObject... probes) {
        JsonArrayBuilder all = Json.createArrayBuilder();
        for (JsonObject probe : probes) {
            all.add(probe);
        }
        return Json.createObjectBuilder(snapshot).add("probes", all).build();
    }

    /** One entry of {@code probes}; {@code error} null for a passing probe. */
    public static JsonObject probe(String name, String target, String error, int consecutiveFailures) {
        JsonObjectBuilder probe = Json.createObjectBuilder().add("name", name).add("unit", name + ".service")
                .add("target", target).add("ok", error == null).add("latency_ms", 2.1)
                .add("consecutive_failures", consecutiveFailures);
        return (error == null ? probe.addNull("error") : probe.add("error", error)).build();
    }
}
