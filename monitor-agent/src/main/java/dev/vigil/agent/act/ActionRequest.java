package dev.vigil.agent.act;

import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The body of {@code POST /api/v1/actions}, checked field by field so that a bad request is told exactly
 * what is wrong with it.
 */
public record ActionRequest(UUID id, String type, String target, OptionalInt pid, OptionalDouble createTime,
                            String signal, String reason) {

    public static final Set<String> TYPES = Set.of("restart_service", "kill_process", "reboot");
    public static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT", "HUP", "QUIT", "USR1", "USR2");

    /** A request body that is not a valid action; the message says why and goes back to the caller. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static ActionRequest parse(byte[] body) throws Invalid {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new Invalid("the body must be a JSON object");
            }
            json = value.asJsonObject();
        } catch (JsonException e) {
            throw new Invalid("the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        UUID id = uuid(string(json, "id").orElseThrow(() -> new Invalid("\"id\" (a UUID) is required")));
        String type = string(json, "type").orElseThrow(() -> new Invalid("\"type\" is required"));
        if (!TYPES.contains(type)) {
            throw new Invalid("\"type\" must be restart_service, kill_process or reboot, not \"" + type + "\"");
        }
        String target = string(json, "target").orElse("");
        if (target.isBlank() && !type.equals("reboot")) {
            throw new Invalid("\"target\" is required for " + type);
        }
        OptionalInt pid = OptionalInt.empty();
        OptionalDouble createTime = OptionalDouble.empty();
        if (type.equals("kill_process")) {
            JsonNumber pidValue = number(json, "pid").orElseThrow(() -> new Invalid("\"pid\" is required for kill_process"));
            if (!pidValue.isIntegral() || pidValue.longValue() < 1 || pidValue.longValue() > Integer.MAX_VALUE) {
                throw new Invalid("\"pid\" must be a positive integer");
            }
            pid = OptionalInt.of(pidValue.intValue());
            createTime = OptionalDouble.of(number(json, "create_time")
                    .orElseThrow(() -> new Invalid("\"create_time\" is required for kill_process")).doubleValue());
        }
        String signal = string(json, "signal").orElse("TERM");
        if (!SIGNALS.contains(signal)) {
            throw new Invalid("\"signal\" must be one of " + String.join(", ", SIGNALS.stream().sorted().toList()));
        }
        return new ActionRequest(id, type, target, pid, createTime, signal, string(json, "reason").orElse(""));
    }

    private static Optional<String> string(JsonObject json, String name) throws Invalid {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        throw new Invalid("\"" + name + "\" must be a string");
    }

    private static Optional<JsonNumber> number(JsonObject json, String name) throws Invalid {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonNumber n) {
            return Optional.of(n);
        }
        throw new Invalid("\"" + name + "\" must be a number");
    }

    private static UUID uuid(String value) throws Invalid {
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException(value);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new Invalid("\"id\" must be a UUID, not \"" + value + "\"");
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }
}
