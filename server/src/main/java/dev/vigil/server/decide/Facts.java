package dev.vigil.server.decide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.vigil.rules.model.DiskHealth;
import dev.vigil.rules.model.Filesystem;
import dev.vigil.rules.model.Host;
import dev.vigil.rules.model.Probe;
import dev.vigil.rules.model.Process;
import dev.vigil.rules.model.Sample;
import dev.vigil.rules.model.Service;
import dev.vigil.rules.model.Temperature;
import dev.vigil.server.model.AgentSnapshot;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * An agent's answer as facts for the rules: the sample and the watched services. The poller checked the
 * headline fields and the probes; the rest (processes, sensors, services, SMART health) is taken as far as it is
 * well-formed — a malformed process entry is skipped, not the sample.
 */
public record Facts(Sample sample, List<Service> services) {

    public static Facts of(Host host, AgentSnapshot.Parsed answer, Instant receivedAt) {
        Map<String, JsonValue> json = answer.members();
        AgentSnapshot snapshot = answer.snapshot();
        long hostId = host.id();
        JsonObject cpu = object(json, "cpu");
        Sample sample = new Sample(host, receivedAt.toEpochMilli(), snapshot.cpuPercent(),
                (int) number(cpu, "count_logical", 1), 100 - snapshot.memoryPercent(), snapshot.swapPercent(),
                snapshot.load1(), snapshot.load5(), snapshot.load15(), filesystems(json), temperatures(json),
                processes(json), probes(json), disks(json));
        List<Service> services = new ArrayList<>();
        for (JsonObject unit : objects(json.get("services"))) {
            services.add(new Service(hostId, string(unit, "unit"), string(unit, "active_state"),
                    string(unit, "sub_state")));
        }
        return new Facts(sample, services);
    }

    private static List<Filesystem> filesystems(Map<String, JsonValue> json) {
        List<Filesystem> all = new ArrayList<>();
        for (JsonObject fs : objects(json.get("disk_usage"))) {
            all.add(new Filesystem(string(fs, "mountpoint"), string(fs, "device"), string(fs, "fstype"),
                    number(fs, "percent", 0)));
        }
        return all;
    }

    private static List<Temperature> temperatures(Map<String, JsonValue> json) {
        List<Temperature> all = new ArrayList<>();
        for (Map.Entry<String, JsonValue> sensor : object(json, "sensors_temperatures").entrySet()) {
            for (JsonObject reading : objects(sensor.getValue())) {
                if (reading.get("current") instanceof JsonNumber current) {
                    all.add(new Temperature(sensor.getKey(), string(reading, "label"), current.doubleValue(),
                            nullableNumber(reading, "high"), nullableNumber(reading, "critical")));
                }
            }
        }
        return all;
    }

    private static List<Process> processes(Map<String, JsonValue> json) {
        List<Process> all = new ArrayList<>();
        for (JsonObject p : objects(object(json, "processes").get("top"))) {
            if (p.get("pid") instanceof JsonNumber pid) {
                all.add(new Process(pid.longValue(), string(p, "name"), string(p, "username"),
                        number(p, "cpu_percent", 0), number(p, "memory_percent", 0), number(p, "create_time", 0)));
            }
        }
        return all;
    }

    /** None from agents that have no probes; the poller checked that each one there is whole. */
    private static List<Probe> probes(Map<String, JsonValue> json) {
        List<Probe> all = new ArrayList<>();
        for (JsonObject p : objects(json.get("probes"))) {
            all.add(new Probe(string(p, "name"), string(p, "unit"), p.get("ok") == JsonValue.TRUE,
                    number(p, "latency_ms", 0), p.get("error") instanceof JsonString error ? error.getString() : null,
                    (int) number(p, "consecutive_failures", 0)));
        }
        return all;
    }

    /** None from agents that do not check SMART; an entry without a device or a passed flag is skipped. */
    private static List<DiskHealth> disks(Map<String, JsonValue> json) {
        List<DiskHealth> all = new ArrayList<>();
        for (JsonObject disk : objects(json.get("disk_health"))) {
            JsonValue passed = disk.get("passed");
            if (disk.get("device") instanceof JsonString device
                    && (passed == JsonValue.TRUE || passed == JsonValue.FALSE)) {
                all.add(new DiskHealth(device.getString(), passed == JsonValue.TRUE, string(disk, "status")));
            }
        }
        return all;
    }

    private static JsonObject object(Map<String, JsonValue> json, String name) {
        return json.get(name) instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    }

    private static List<JsonObject> objects(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            return List.of();
        }
        return array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
    }

    private static String string(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s ? s.getString() : "";
    }

    private static double number(JsonObject json, String name, double fallback) {
        return json.get(name) instanceof JsonNumber n ? n.doubleValue() : fallback;
    }

    private static Double nullableNumber(JsonObject json, String name) {
        return json.get(name) instanceof JsonNumber n ? n.doubleValue() : null;
    }
}
