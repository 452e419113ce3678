package dev.vigil.agent.act;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

/**
 * The body of {@code POST /api/v1/actions}, checked field by field so that a bad request is told exactly
 * what is wrong with it.
 */
public record ActionRequest(UUID id, String type, String target, OptionalInt pid, OptionalDouble createTime,
                            String signal, String reason) {

    public static final Set<String> TYPES = Set.of("restart_service", "kill_process", "reboot");
    public static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT", "HUP", "QUIT", "USR1", "USR2");
    private static final Set<String> NUMBERS = Set.of("pid", "create_time");
    /** Characters of one number: the parser itself refuses very long ones with an error of its own. */
    private static final int MAX_NUMBER = 100;
    /** The latest process start a request may name: the end of the year 9999, in seconds. */
    private static final BigDecimal LATEST_START = BigDecimal.valueOf(253_402_300_799L);

    /** A request body that is not a valid action; the message says why and goes back to the caller. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static ActionRequest parse(byte[] body) throws Invalid {
        JsonObject json = fields(body);
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
            BigDecimal pidValue = number(json, "pid")
                    .orElseThrow(() -> new Invalid("\"pid\" is required for kill_process"));
            if (!within(pidValue, BigDecimal.ONE, BigDecimal.valueOf(Integer.MAX_VALUE))
                    || pidValue.stripTrailingZeros().scale() > 0) {
                throw new Invalid("\"pid\" must be a positive integer, at most " + Integer.MAX_VALUE);
            }
            pid = OptionalInt.of(pidValue.intValueExact());
            BigDecimal started = number(json, "create_time")
                    .orElseThrow(() -> new Invalid("\"create_time\" is required for kill_process"));
            if (!within(started, BigDecimal.ZERO, LATEST_START)) {
                throw new Invalid("\"create_time\" must be the process's start in seconds since 1970 (as in"
                        + " processes.top)");
            }
            createTime = OptionalDouble.of(started.doubleValue());
        }
        String signal = string(json, "signal").orElse("TERM");
        if (!SIGNALS.contains(signal)) {
            throw new Invalid("\"signal\" must be one of " + String.join(", ", SIGNALS.stream().sorted().toList()));
        }
        return new ActionRequest(id, type, target, pid, createTime, signal, string(json, "reason").orElse(""));
    }

    /**
     * The members of the body, which must be one flat JSON object: read event by event, so a nested value is
     * refused where it starts, never descended into (20,000 levels of brackets cost nothing).
     */
    private static JsonObject fields(byte[] body) throws Invalid {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid("the body is not UTF-8 text");
        }
        if (text.isBlank()) {
            throw new Invalid("the body is not valid JSON: it is empty");
        }
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw new Invalid("the body must be a JSON object");
            }
            JsonObjectBuilder fields = Json.createObjectBuilder();
            for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
                String name = parser.getString();
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> throw new Invalid("\"" + name + "\" must be "
                            + (NUMBERS.contains(name) ? "a number" : "a string") + ", not a list or an object");
                    case VALUE_NUMBER -> {
                        if (parser.getString().length() > MAX_NUMBER) {
                            throw new Invalid("\"" + name + "\" is a number of more than " + MAX_NUMBER
                                    + " characters");
                        }
                        fields.add(name, parser.getValue());
                    }
                    default -> fields.add(name, parser.getValue());
                }
            }
            if (parser.hasNext()) {
                throw new Invalid("the body is not valid JSON: something follows the object");
            }
            return fields.build();
        } catch (JsonParsingException e) {
            JsonLocation at = e.getLocation();
            boolean early = at.getStreamOffset() < 0 || at.getStreamOffset() >= text.length();
            throw new Invalid("the body is not valid JSON: " + (early ? "it ends early" : "unexpected '"
                    + text.charAt((int) at.getStreamOffset()) + "' at line " + at.getLineNumber() + ", column "
                    + at.getColumnNumber()));
        }
    }

    /** A string member without control characters (it goes into the log line of the action), when present. */
    private static Optional<String> string(JsonObject json, String name) throws Invalid {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString s)) {
            throw new Invalid("\"" + name + "\" must be a string");
        }
        if (s.getString().chars().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            throw new Invalid("\"" + name + "\" must not hold control characters");
        }
        return Optional.of(s.getString());
    }

    private static Optional<BigDecimal> number(JsonObject json, String name) throws Invalid {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonNumber n) {
            return Optional.of(n.bigDecimalValue());
        }
        throw new Invalid("\"" + name + "\" must be a number");
    }

    /** Compared as written: no number is converted (and so wrapped or made infinite) before it is in range. */
    private static boolean within(BigDecimal value, BigDecimal min, BigDecimal max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
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
}
