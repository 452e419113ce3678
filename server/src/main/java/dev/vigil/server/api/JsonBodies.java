package dev.vigil.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * The one reader of request bodies: a JSON object of UTF-8 text within a size limit, at most {@value #MAX_DEPTH}
 * levels deep (checked by a scan before anything is parsed, so no depth can exhaust the stack), with only the
 * fields its route declares ({@link Access.Input}); then typed accessors that every service reads its fields
 * with. A bad body is a 400 that says what is wrong in the caller's terms, with the field or the line and column.
 */
final class JsonBodies {
    static final int MAX_BODY = 64 * 1024;
    /** Far more than any body needs: a host's policy lists are three levels down, a rule file map two. */
    static final int MAX_DEPTH = 32;
    /** Characters of one number; the parser refuses longer ones with an error of its own. */
    static final int MAX_NUMBER = 100;
    /** The longest string field unless the field says otherwise. */
    static final int MAX_TEXT = 1000;

    private JsonBodies() {
    }

    static JsonObject object(ServerRequest request) {
        return object(request, true);
    }

    /** The body, or an empty object when there is none: for a route whose fields are all optional. */
    static JsonObject optionalObject(ServerRequest request) {
        return object(request, false);
    }

    private static JsonObject object(ServerRequest request, boolean required) {
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
        String text = utf8(body);
        if (text.isBlank()) {
            if (!required) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            throw ApiErrors.badRequest("the body is not valid JSON: it is empty");
        }
        checkShape(text);
        if (!(parse(text) instanceof JsonObject object)) {
            throw ApiErrors.badRequest("the body must be a JSON object");
        }
        List<String> declared = Access.route(request).input().body();
        for (String field : object.keySet()) {
            if (!declared.contains(field)) {
                throw ApiErrors.badRequest("unknown field \"" + ApiErrors.shown(field) + "\"; this takes "
                        + (declared.isEmpty() ? "no body" : String.join(", ", declared)));
            }
        }
        return object;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiErrors.badRequest("the body is not UTF-8 text");
        }
    }

    /**
     * Nesting and number length, counted outside strings, before the parser (which recurses) sees the text; the
     * refusal names the top-level field it happened in.
     */
    private static void checkShape(String text) {
        int depth = 0;
        int numberLength = 0;
        int stringStart = -1;
        String lastString = "";
        String field = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (stringStart >= 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    lastString = text.substring(stringStart, i);
                    stringStart = -1;
                }
                continue;
            }
            numberLength = "0123456789+-.eE".indexOf(c) >= 0 ? numberLength + 1 : 0;
            String where = field == null ? "the body" : Values.quoted(ApiErrors.shown(field));
            if (numberLength > MAX_NUMBER) {
                throw ApiErrors.badRequest(where + " has a number longer than " + MAX_NUMBER + " characters");
            }
            switch (c) {
                case '"' -> stringStart = i + 1;
                case ':' -> field = depth == 1 ? lastString : field;
                case '{', '[' -> {
                    if (++depth > MAX_DEPTH) {
                        throw ApiErrors.badRequest(where + " nests deeper than " + MAX_DEPTH + " levels");
                    }
                }
                case '}', ']' -> depth--;
                default -> {
                }
            }
        }
    }

    private static JsonValue parse(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw ApiErrors.badRequest("the body is not valid JSON: more follows the JSON value");
            }
            return value;
        } catch (JsonParsingException e) {
            throw ApiErrors.badRequest("the body is not valid JSON: " + where(text, e.getLocation()));
        }
    }

    /** What the parser stumbled on, in the caller's terms (the parser's own message lists its token names). */
    private static String where(String text, JsonLocation location) {
        long offset = location.getStreamOffset();
        if (offset < 0 || offset >= text.length()) {
            return "it ends before the JSON is complete";
        }
        int c = text.codePointAt((int) offset);
        String what = Character.getType(c) == Character.CONTROL
                ? String.format("control character U+%04X (inside a string write it as \\u%04X)", c, c)
                : "'" + Character.toString(c) + "'";
        return "unexpected " + what + " at line " + location.getLineNumber() + ", column "
                + location.getColumnNumber();
    }

    /** A required string of at most {@value #MAX_TEXT} characters without control characters. */
    static String string(JsonObject body, String name) {
        return text(body, name, MAX_TEXT).orElseThrow(() -> ApiErrors.badRequest(Values.quoted(name)
                + " (a string) is required"));
    }

    /** A string of at most {@code max} characters without control characters; empty when absent or null. */
    static Optional<String> text(JsonObject body, String name, int max) {
        return stringValue(body, name).map(value -> Values.text(name, value, max, false));
    }

    /** Like {@link #text}, but tab, CR and LF are allowed: file contents. */
    static Optional<String> lines(JsonObject body, String name, int max) {
        return stringValue(body, name).map(value -> Values.text(name, value, max, true));
    }

    /** A string as it was sent, for a field whose own rule checks every character (agent tokens). */
    static Optional<String> verbatim(JsonObject body, String name) {
        return stringValue(body, name);
    }

    private static Optional<String> stringValue(JsonObject body, String name) {
        JsonValue value = present(body, name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString s)) {
            throw ApiErrors.badRequest(Values.quoted(name) + " must be a string");
        }
        return Optional.of(s.getString());
    }

    /** A whole number from {@code min} to {@code max}, exactly (never wrapped); empty when absent or null. */
    static Optional<Long> whole(JsonObject body, String name, long min, long max) {
        return number(body, name, "a whole number").map(n -> Values.whole(name, n.bigDecimalValue(), min, max));
    }

    /** A number from {@code min} to {@code max}, so finite; empty when absent or null. */
    static Optional<Double> decimal(JsonObject body, String name, double min, double max) {
        return number(body, name, "a number").map(n -> Values.decimal(name, n.bigDecimalValue(), min, max));
    }

    private static Optional<JsonNumber> number(JsonObject body, String name, String kind) {
        JsonValue value = present(body, name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonNumber n)) {
            throw ApiErrors.badRequest(Values.quoted(name) + " must be " + kind);
        }
        return Optional.of(n);
    }

    /** {@code true} or {@code false}, nothing else; empty when absent or null. */
    static Optional<Boolean> bool(JsonObject body, String name) {
        JsonValue value = present(body, name);
        if (value == null) {
            return Optional.empty();
        }
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw ApiErrors.badRequest(Values.quoted(name) + " must be true or false");
        }
        return Optional.of(value == JsonValue.TRUE);
    }

    /** A time: ISO-8601 text or epoch milliseconds, in the years 1970–9999; empty when absent or null. */
    static Optional<Instant> instant(JsonObject body, String name) {
        JsonValue value = present(body, name);
        return switch (value) {
            case null -> Optional.empty();
            case JsonNumber n -> Optional.of(Values.epochMillis(name, n.bigDecimalValue()));
            case JsonString s -> Optional.of(Values.instant(name, s.getString()));
            default -> throw ApiErrors.badRequest(Values.quoted(name)
                    + " must be ISO-8601 (2026-11-22T10:00:00Z) or epoch milliseconds");
        };
    }

    /** The member, or null when it is absent or JSON null. */
    private static JsonValue present(JsonObject body, String name) {
        JsonValue value = body.get(name);
        return value == JsonValue.NULL ? null : value;
    }

    static void send(ServerResponse response, Status status, JsonStructure json) {
        response.status(status).header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON_TYPE)
                .send(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
