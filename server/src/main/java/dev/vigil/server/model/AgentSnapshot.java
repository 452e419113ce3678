package dev.vigil.server.model;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.JsonValue;

/**
 * A snapshot an agent answered, checked for the shape of the contract (§3.2) and reduced to the headline
 * gauges the server stores in narrow rows; the answer as received is kept for the detail. Only the bytes are
 * kept, not the parsed tree: a tree is several times their size, and thousands of hosts' latest snapshots
 * stay in memory.
 *
 * @param body         the answer's bytes, stored (compressed) as the sample's detail
 * @param netRecvBytes total bytes received over all interfaces but loopback (a counter)
 * @param netSentBytes total bytes sent over all interfaces but loopback (a counter)
 */
public record AgentSnapshot(byte[] body, String hostname, Instant collectedAt, double cpuPercent,
                            double memoryPercent, double swapPercent, double load1, double load5, double load15,
                            double fullestDiskPercent, long netRecvBytes, long netSentBytes) {

    /** An answer that is not a snapshot; the reason says what is wrong with it. */
    public static final class BadPayload extends Exception {
        BadPayload(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Made once: {@code Json.createReader} looks its provider up through the ServiceLoader on every call. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    /**
     * The members the server uses: those of the headline gauges, and the processes, services, sensors, probes and
     * SMART health the rules read. The rest (per-CPU figures, disk and network counters, …) is checked, not built.
     */
    private static final Set<String> USED_MEMBERS = Set.of("hostname", "collected_at", "cpu", "virtual_memory",
            "swap_memory", "disk_usage", "net_io_counters", "processes", "services", "sensors_temperatures",
            "probes", "disk_health");

    /**
     * An answer parsed once for every stage: the snapshot, which is kept, and the members the server uses,
     * which the rules read and nobody keeps.
     */
    public record Parsed(AgentSnapshot snapshot, Map<String, JsonValue> members) {
    }

    public static AgentSnapshot parse(byte[] body) throws BadPayload {
        return read(body).snapshot();
    }

    /**
     * An agent's history ({@code GET /api/v1/metrics/history}): a JSON array of snapshots, each kept as the bytes
     * the agent sent for it and checked like a polled one.
     */
    public static List<AgentSnapshot> history(byte[] body) throws BadPayload {
        List<AgentSnapshot> snapshots = new ArrayList<>();
        for (byte[] element : elements(body)) {
            try {
                snapshots.add(parse(element));
            } catch (BadPayload e) {
                throw new BadPayload("snapshot " + (snapshots.size() + 1) + " of the history: " + e.getMessage());
            }
        }
        return snapshots;
    }

    /**
     * The bytes of each element of a JSON array, found by depth outside strings; what each element holds is left
     * to its own parse.
     */
    private static List<byte[]> elements(byte[] body) throws BadPayload {
        int i = 0;
        while (i < body.length && isSpace(body[i])) {
            i++;
        }
        if (i == body.length || body[i] != '[') {
            throw new BadPayload("not a JSON array");
        }
        List<byte[]> elements = new ArrayList<>();
        int depth = 0;
        int start = -1;
        int end = -1;
        boolean inString = false;
        boolean escaped = false;
        for (i++; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                end = i + 1;
                continue;
            }
            if (isSpace(b)) {
                continue;
            }
            if (depth == 0 && (b == ',' || b == ']')) {
                if (start < 0 && (b == ',' || !elements.isEmpty())) {
                    throw new BadPayload("not JSON: an empty element in the array");
                }
                if (start >= 0) {
                    elements.add(Arrays.copyOfRange(body, start, end));
                }
                start = -1;
                if (b == ']') {
                    for (i++; i < body.length; i++) {
                        if (!isSpace(body[i])) {
                            throw new BadPayload("not JSON: more after the array");
                        }
                    }
                    return elements;
                }
                continue;
            }
            if (start < 0) {
                start = i;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' -> depth--;
                default -> {
                }
            }
            if (depth < 0) {
                throw new BadPayload("not JSON: unbalanced brackets in the array");
            }
            end = i + 1;
        }
        throw new BadPayload("not JSON: the array does not end");
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    public static Parsed read(byte[] body) throws BadPayload {
        Map<String, JsonValue> s = new HashMap<>();
        try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(body))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new BadPayload("not a JSON object");
            }
            for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
                String name = parser.getString();
                JsonParser.Event value = parser.next();
                if (USED_MEMBERS.contains(name)) {
                    s.put(name, parser.getValue());
                } else if (value == JsonParser.Event.START_OBJECT) {
                    parser.skipObject();
                } else if (value == JsonParser.Event.START_ARRAY) {
                    parser.skipArray();
                }
            }
            if (parser.hasNext()) {
                throw new BadPayload("not JSON: more after the object");
            }
        } catch (JsonException | java.util.NoSuchElementException | IllegalStateException e) {
            throw new BadPayload("not JSON: " + firstLine(e.getMessage()));
        }
        JsonObject cpu = object(s, "cpu");
        JsonArray load = array(cpu, "load_avg");
        double fullest = 0;
        for (JsonValue disk : array(s, "disk_usage")) {
            if (disk.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new BadPayload("disk_usage holds a non-object");
            }
            fullest = Math.max(fullest, number(disk.asJsonObject(), "percent"));
        }
        checkProbes(s);
        long recv = 0;
        long sent = 0;
        JsonObject nics = object(s, "net_io_counters");
        for (String nic : nics.keySet()) {
            if (!nic.equals("lo")) {
                JsonObject counters = object(nics, nic);
                recv += (long) number(counters, "bytes_recv");
                sent += (long) number(counters, "bytes_sent");
            }
        }
        return new Parsed(new AgentSnapshot(body, string(s, "hostname"), instant(s, "collected_at"),
                percent(cpu, "percent"), percent(object(s, "virtual_memory"), "percent"),
                percent(object(s, "swap_memory"), "percent"),
                load.size() > 0 ? load.getJsonNumber(0).doubleValue() : 0,
                load.size() > 1 ? load.getJsonNumber(1).doubleValue() : 0,
                load.size() > 2 ? load.getJsonNumber(2).doubleValue() : 0,
                fullest, recv, sent), s);
    }

    /**
     * Agents before probes existed send none, which is no probe; when there, each probe is whole, as the rules
     * read it.
     */
    private static void checkProbes(Map<String, JsonValue> s) throws BadPayload {
        if (!s.containsKey("probes")) {
            return;
        }
        JsonArray probes = array(s, "probes");
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
                throw new BadPayload("probes holds a non-object");
            }
            JsonObject probe = probes.getJsonObject(i);
            try {
                string(probe, "name");
                string(probe, "unit");
                if (!(probe.get("ok") == JsonValue.TRUE || probe.get("ok") == JsonValue.FALSE)) {
                    throw new BadPayload("\"ok\" is missing or not true or false");
                }
                number(probe, "latency_ms");
                double failures = number(probe, "consecutive_failures");
                if (failures < 0 || failures != Math.rint(failures) || failures > Integer.MAX_VALUE) {
                    throw new BadPayload("\"consecutive_failures\" is " + failures + ", not a count");
                }
                JsonValue error = probe.get("error");
                if (error != null && error.getValueType() != JsonValue.ValueType.NULL
                        && error.getValueType() != JsonValue.ValueType.STRING) {
                    throw new BadPayload("\"error\" is neither null nor a string");
                }
            } catch (BadPayload inProbe) {
                throw new BadPayload("probes[" + i + "]: " + inProbe.getMessage());
            }
        }
    }

    /** The answer as a JSON object again (it was one when it was parsed). */
    public JsonObject document() {
        try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        }
    }

    /**
     * The mount point of the fullest filesystem (the one {@link #fullestDiskPercent} is of), read from the kept
     * answer again: for the one host a summary names, not for every sample. Empty when the agent named none.
     */
    public Optional<String> fullestDiskMount() {
        for (JsonValue disk : document().getJsonArray("disk_usage")) {
            JsonObject d = disk.asJsonObject();
            if (d.getJsonNumber("percent").doubleValue() == fullestDiskPercent) {
                return d.get("mountpoint") instanceof JsonString mount ? Optional.of(mount.getString())
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static JsonObject object(Map<String, JsonValue> json, String name) throws BadPayload {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadPayload("\"" + name + "\" is missing or not an object");
        }
        return value.asJsonObject();
    }

    private static JsonArray array(Map<String, JsonValue> json, String name) throws BadPayload {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new BadPayload("\"" + name + "\" is missing or not a list");
        }
        JsonArray array = value.asJsonArray();
        return array;
    }

    private static double number(Map<String, JsonValue> json, String name) throws BadPayload {
        if (!(json.get(name) instanceof JsonNumber n)) {
            throw new BadPayload("\"" + name + "\" is missing or not a number");
        }
        return n.doubleValue();
    }

    private static double percent(Map<String, JsonValue> json, String name) throws BadPayload {
        double value = number(json, name);
        if (value < 0 || value > 100 || Double.isNaN(value)) {
            throw new BadPayload("\"" + name + "\" is " + value + ", not a percentage");
        }
        return value;
    }

    private static String string(Map<String, JsonValue> json, String name) throws BadPayload {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() != JsonValue.ValueType.STRING) {
            throw new BadPayload("\"" + name + "\" is missing or not a string");
        }
        return ((jakarta.json.JsonString) value).getString();
    }

    private static Instant instant(Map<String, JsonValue> json, String name) throws BadPayload {
        try {
            return Instant.parse(string(json, name));
        } catch (DateTimeParseException e) {
            throw new BadPayload("\"" + name + "\" is not an ISO-8601 time");
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }
}
