package dev.vigil.server.watch;

import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** What one frame of an agent's event stream says (issue 14's spec of {@code GET /api/v1/events}). */
sealed interface AgentEvent {
    JsonReaderFactory READERS = Json.createReaderFactory(java.util.Map.of());

    /** Changes may have been missed: read the full snapshot. */
    record Reset() implements AgentEvent {
    }

    /**
     * A unit's or a probe's new state: {@code element} is the snapshot's {@code services[]} or {@code probes[]}
     * element (the event's data without {@code id} and {@code at}), matched by {@code key} ({@code unit} or
     * {@code name}) in the array {@code member}; {@code at} is when the agent saw it, on the agent's clock (the
     * clock of its snapshots' {@code collected_at}).
     */
    record Change(String member, String key, JsonObject element, Instant at) implements AgentEvent {
        String name() {
            return element.getString(key);
        }
    }

    /** Empty for events this server does not know (ignored, as the spec allows new ones). */
    static Optional<AgentEvent> of(SseReader.Frame frame) throws SseReader.Garbage {
        return switch (frame.event()) {
            case "reset" -> Optional.of(new Reset());
            case "unit" -> Optional.of(unit(data(frame)));
            case "probe" -> Optional.of(probe(data(frame)));
            default -> Optional.empty();
        };
    }

    private static Change unit(JsonObject data) throws SseReader.Garbage {
        for (String name : new String[] {"unit", "active_state", "sub_state"}) {
            string(data, name);
        }
        if (data.containsKey("load_state")) {
            string(data, "load_state");
        }
        return new Change("services", "unit", element(data), at(data));
    }

    /** Whole, as the poller checks a snapshot's probes ({@code AgentSnapshot}): the rules read every field. */
    private static Change probe(JsonObject data) throws SseReader.Garbage {
        string(data, "name");
        string(data, "unit");
        if (!(data.get("ok") == JsonValue.TRUE || data.get("ok") == JsonValue.FALSE)) {
            throw new SseReader.Garbage("a probe event whose \"ok\" is not true or false");
        }
        if (!(data.get("latency_ms") instanceof JsonNumber)) {
            throw new SseReader.Garbage("a probe event whose \"latency_ms\" is not a number");
        }
        if (!(data.get("consecutive_failures") instanceof JsonNumber failures) || !failures.isIntegral()
                || failures.longValue() < 0 || failures.longValue() > Integer.MAX_VALUE) {
            throw new SseReader.Garbage("a probe event whose \"consecutive_failures\" is not a count");
        }
        JsonValue error = data.get("error");
        if (error != null && error != JsonValue.NULL && !(error instanceof JsonString)) {
            throw new SseReader.Garbage("a probe event whose \"error\" is neither null nor a string");
        }
        return new Change("probes", "name", element(data), at(data));
    }

    private static JsonObject data(SseReader.Frame frame) throws SseReader.Garbage {
        try (JsonReader reader = READERS.createReader(new StringReader(frame.data()))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new SseReader.Garbage("a " + frame.event() + " event whose data is not a JSON object");
        }
    }

    private static void string(JsonObject data, String name) throws SseReader.Garbage {
        if (!(data.get(name) instanceof JsonString)) {
            throw new SseReader.Garbage("an event whose \"" + name + "\" is missing or not a string");
        }
    }

    private static Instant at(JsonObject data) throws SseReader.Garbage {
        string(data, "at");
        try {
            return Instant.parse(data.getString("at"));
        } catch (DateTimeParseException e) {
            throw new SseReader.Garbage("an event whose \"at\" is not an ISO-8601 instant");
        }
    }

    private static JsonObject element(JsonObject data) {
        return Json.createObjectBuilder(data).remove("id").remove("at").build();
    }
}
