package dev.vigil.server.poll;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * A snapshot an agent answered, checked for the shape of the contract (§3.2) and reduced to the headline
 * gauges the server stores in narrow rows; the answer as received is kept for the detail.
 *
 * @param body         the answer's bytes, stored (compressed) as the sample's detail
 * @param netRecvBytes total bytes received over all interfaces but loopback (a counter)
 * @param netSentBytes total bytes sent over all interfaces but loopback (a counter)
 */
public record AgentSnapshot(JsonObject document, byte[] body, String hostname, Instant collectedAt, double cpuPercent,
                            double memoryPercent, double swapPercent, double load1, double load5, double load15,
                            double fullestDiskPercent, long netRecvBytes, long netSentBytes) {

    /** An answer that is not a snapshot; the reason says what is wrong with it. */
    public static final class BadPayload extends Exception {
        BadPayload(String reason) {
            super(reason, null, false, false);
        }
    }

    public static AgentSnapshot parse(byte[] body) throws BadPayload {
        JsonObject s;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new BadPayload("not a JSON object");
            }
            s = value.asJsonObject();
        } catch (JsonException e) {
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
        return new AgentSnapshot(s, body, string(s, "hostname"), instant(s, "collected_at"),
                percent(cpu, "percent"), percent(object(s, "virtual_memory"), "percent"),
                percent(object(s, "swap_memory"), "percent"),
                load.size() > 0 ? load.getJsonNumber(0).doubleValue() : 0,
                load.size() > 1 ? load.getJsonNumber(1).doubleValue() : 0,
                load.size() > 2 ? load.getJsonNumber(2).doubleValue() : 0,
                fullest, recv, sent);
    }

    private static JsonObject object(JsonObject json, String name) throws BadPayload {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadPayload("\"" + name + "\" is missing or not an object");
        }
        return value.asJsonObject();
    }

    private static JsonArray array(JsonObject json, String name) throws BadPayload {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new BadPayload("\"" + name + "\" is missing or not a list");
        }
        JsonArray array = value.asJsonArray();
        return array;
    }

    private static double number(JsonObject json, String name) throws BadPayload {
        if (!(json.get(name) instanceof JsonNumber n)) {
            throw new BadPayload("\"" + name + "\" is missing or not a number");
        }
        return n.doubleValue();
    }

    private static double percent(JsonObject json, String name) throws BadPayload {
        double value = number(json, name);
        if (value < 0 || value > 100 || Double.isNaN(value)) {
            throw new BadPayload("\"" + name + "\" is " + value + ", not a percentage");
        }
        return value;
    }

    private static String string(JsonObject json, String name) throws BadPayload {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() != JsonValue.ValueType.STRING) {
            throw new BadPayload("\"" + name + "\" is missing or not a string");
        }
        return ((jakarta.json.JsonString) value).getString();
    }

    private static Instant instant(JsonObject json, String name) throws BadPayload {
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
