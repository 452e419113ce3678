package dev.vigil.telegram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.media.MediaContext;
import io.helidon.http.media.jsonp.JsonpSupport;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The Vigil server's public HTTP API as the bot uses it: REST calls with the bot's API token — for a Telegram user
 * with the {@code X-Vigil-Telegram-*} headers, so the server checks that user's role and audits them — and the
 * event stream. Nothing here reads the database.
 */
public final class ServerApi {
    /** The bot's one JSON-P provider (the API's lookup per call is slow: jakartaee/jsonp-api#154). */
    public static final JsonProvider JSON = JsonProvider.provider();
    private static final HeaderName TELEGRAM_USER = HeaderNames.create("X-Vigil-Telegram-User");
    private static final HeaderName TELEGRAM_ROLE = HeaderNames.create("X-Vigil-Telegram-Role");
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    /** Three missed heartbeats (the server sends one every 15 s) mean the stream is dead. */
    private static final Duration EVENT_READ_TIMEOUT = Duration.ofSeconds(45);
    private static final int MAX_ERROR_SHOWN = 300;

    /** The server refused or failed a call; {@code status} 0 when it could not be reached at all. */
    public static final class Failure extends HttpFailure {
        public Failure(int status, String message) {
            super(status, message);
        }
    }

    /** One Server-Sent Event: its id (empty for none), type and JSON data. */
    public record Event(Optional<Long> id, String type, JsonObject data) {
    }

    private final WebClient client;
    private final String baseUrl;

    public ServerApi(String baseUrl, String apiToken) {
        this.baseUrl = baseUrl;
        this.client = WebClient.builder()
                .baseUri(baseUrl)
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(30))
                .followRedirects(false)
                .mediaContext(MediaContext.builder().addMediaSupport(JsonpSupport.create()).build())
                .addHeader(HeaderNames.AUTHORIZATION, "Bearer " + apiToken)
                .addHeader(HeaderNames.ACCEPT, "application/json")
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** GET as the bot itself. */
    public JsonValue get(String pathAndQuery) {
        return call(Method.GET, pathAndQuery, Optional.empty(), null);
    }

    /** GET for a Telegram user. */
    public JsonValue get(String pathAndQuery, Actor actor) {
        return call(Method.GET, pathAndQuery, Optional.of(actor), null);
    }

    /** POST for a Telegram user; {@code body} may be null. */
    public JsonValue post(String path, Actor actor, JsonObject body) {
        return call(Method.POST, path, Optional.of(actor), body);
    }

    /** POST as the bot itself; {@code body} may be null. */
    public JsonValue post(String path, JsonObject body) {
        return call(Method.POST, path, Optional.empty(), body);
    }

    /** PUT as the bot itself. */
    public JsonValue put(String path, JsonObject body) {
        return call(Method.PUT, path, Optional.empty(), body);
    }

    /**
     * The answer's JSON ({@link JsonValue#NULL} for an empty one); a non-2xx answer is a {@link Failure} with the
     * server's {@code message}, an unreachable server one with status 0.
     */
    private JsonValue call(Method method, String path, Optional<Actor> actor, JsonObject body) {
        HttpClientRequest request = request(method, path);
        actor.ifPresent(a -> request.header(TELEGRAM_USER, Long.toString(a.userId()))
                .header(TELEGRAM_ROLE, a.role().json()));
        String text;
        int status;
        try (HttpClientResponse response = body == null ? request.request()
                : request.header(HeaderNames.CONTENT_TYPE, "application/json").submit(body.toString())) {
            status = response.status().code();
            text = response.entity().hasEntity() ? response.as(String.class) : "";
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new Failure(0, "the server at " + baseUrl + " cannot be reached: " + e.getMessage());
        }
        if (status / 100 != 2) {
            throw new Failure(status, message(status, text));
        }
        return text.isBlank() ? JsonValue.NULL : parse(text);
    }

    /** A request for {@code pathAndQuery}: the client's {@code path} alone would encode a {@code ?} as part of it. */
    private HttpClientRequest request(Method method, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        HttpClientRequest request = client.method(method).path(query < 0 ? pathAndQuery
                : pathAndQuery.substring(0, query));
        if (query >= 0) {
            for (String parameter : pathAndQuery.substring(query + 1).split("&")) {
                int equals = parameter.indexOf('=');
                if (!parameter.isEmpty()) {
                    request.queryParam(decode(equals < 0 ? parameter : parameter.substring(0, equals)),
                            equals < 0 ? "" : decode(parameter.substring(equals + 1)));
                }
            }
        }
        return request;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String message(int status, String text) {
        try {
            JsonValue error = parse(text);
            if (error instanceof JsonObject object && object.containsKey("message")) {
                return object.getString("message", "");
            }
        } catch (Failure notJson) {
            // the status alone says enough
        }
        return "the server answered " + status;
    }

    private static JsonStructure parse(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            return reader.read();
        } catch (JsonException e) {
            throw new Failure(502, "the server answered something that is not JSON: "
                    + text.substring(0, Math.min(text.length(), MAX_ERROR_SHOWN)));
        }
    }

    /**
     * Reads the event stream from after {@code lastEventId} (none: from now) and hands each event to
     * {@code handler} in order, until the stream ends (returns normally) or breaks ({@link Failure}); comments
     * (heartbeats) are skipped. The caller reconnects with the last id it handled.
     */
    public void events(Optional<Long> lastEventId, Consumer<Event> handler) {
        HttpClientRequest request = client.get("/api/v1/events").readTimeout(EVENT_READ_TIMEOUT)
                .header(HeaderNames.ACCEPT, "text/event-stream");
        lastEventId.ifPresent(id -> request.header(LAST_EVENT_ID, Long.toString(id)));
        try (HttpClientResponse response = request.request()) {
            int status = response.status().code();
            if (status != 200) {
                throw new Failure(status, message(status, response.as(String.class)));
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.inputStream(),
                    StandardCharsets.UTF_8))) {
                readEvents(lines, handler);
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new Failure(0, "the event stream from " + baseUrl + " broke: " + e.getMessage());
        }
    }

    static void readEvents(BufferedReader lines, Consumer<Event> handler) throws IOException {
        Optional<Long> id = Optional.empty();
        String type = "message";
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    JsonStructure json = parse(data.toString());
                    handler.accept(new Event(id, type, json instanceof JsonObject object ? object
                            : JsonValue.EMPTY_JSON_OBJECT));
                }
                id = Optional.empty();
                type = "message";
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = Optional.of(Long.parseLong(line.substring(3).strip()));
            } else if (line.startsWith("event:")) {
                type = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
    }
}
