package dev.vigil.server.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/** Reads request bodies as JSON objects within a size limit, and writes JSON answers. */
final class JsonBodies {
    static final int MAX_BODY = 64 * 1024;

    private JsonBodies() {
    }

    static jakarta.json.JsonObject object(ServerRequest request) {
        byte[] body;
        try (InputStream in = request.content().inputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > MAX_BODY) {
            throw new ApiErrors.Refusal(Status.REQUEST_ENTITY_TOO_LARGE_413,
                    "the body is larger than " + MAX_BODY / 1024 + " KiB");
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw ApiErrors.badRequest("the body must be a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            String message = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
            throw ApiErrors.badRequest("the body is not valid JSON: " + message);
        }
    }

    /** A string member, which must be there and be a string. */
    static String string(jakarta.json.JsonObject body, String name) {
        if (!(body.get(name) instanceof jakarta.json.JsonString value)) {
            throw ApiErrors.badRequest("\"" + name + "\" (a string) is required");
        }
        return value.getString();
    }

    /** A time member as text for {@link TimeParams}: ISO-8601 string or epoch milliseconds; empty when absent. */
    static java.util.Optional<String> time(jakarta.json.JsonObject body, String name) {
        JsonValue value = body.get(name);
        if (value == null || value == JsonValue.NULL) {
            return java.util.Optional.empty();
        }
        if (value instanceof jakarta.json.JsonNumber n) {
            return java.util.Optional.of(Long.toString(n.longValue()));
        }
        if (value instanceof jakarta.json.JsonString s) {
            return java.util.Optional.of(s.getString());
        }
        throw ApiErrors.badRequest("\"" + name + "\" must be ISO-8601 or epoch milliseconds");
    }

    static void send(ServerResponse response, Status status, JsonStructure json) {
        response.status(status).header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON)
                .send(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
