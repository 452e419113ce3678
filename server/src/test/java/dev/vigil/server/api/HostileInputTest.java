package dev.vigil.server.api;

import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the routing table, called as an admin with each query parameter and each body field it declares
 * ({@link Access.Input}) replaced in turn by hostile values — empty, huge, negative, fractional, infinite, of the
 * wrong type, deeply nested, with control characters —, with whole bodies that are not JSON, not an object or
 * nested 20,000 deep, with hostile path ids, and with a query parameter it does not take. Never a 5xx; every
 * 4xx is JSON with {@code error} and {@code message}; a 400 for a field names it; and what no field may hold
 * (numbers beyond any range, control characters, deep nesting) is refused, never stored. The routes come from the
 * running server, so a new route is covered the moment it exists, and the test fails until it has what a valid
 * call needs (an id for its path, a valid body).
 */
class HostileInputTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String NESTED = "[".repeat(20_000) + "]".repeat(20_000);
    private static final String PASSWORD = "a probe's long password";
    private static final String RULE = """
            package vigil.rules
            import dev.vigil.rules.model.*
            rule "Probe"
            when
                Sample( host.name() == "probe" )
            then
            end
            """;

    /** Hostile values for a body field, as JSON text. */
    private static final List<String> FIELD_VALUES = List.of("\"\"", "\" \"", "\"x\\u0000y\"", "\"x\\r\\ninjected: 1\"",
            "\"\\ud800\"", "\"" + "x".repeat(5_000) + "\"", "\"99999999999999999999\"", "\"NaN\"", "\"-1\"",
            "\"9999-99-99T99:99:99Z\"", "0", "-1", "1.5", "99999999999999999999", "-99999999999999999999",
            "18446744073709551617", "1000000000000", "1e400", "-1e400", "1e-400", "true", "null", "[]", "{}",
            "[\"x\"]", "{\"a\":\"b\"}", NESTED);
    /** Hostile values for a query parameter, as they go into the URI. */
    private static final List<String> QUERY_VALUES = List.of("", "%20", "%00", "%0D%0Ainjected", "-1", "0", "1.5",
            "99999999999999999999", "9999999999999999d", "NaN", "Infinity", "1e400", "true", "%FF", "x".repeat(1_000),
            "2026-13-45T99:99:99Z");
    /** Hostile values for a path's {id} or {file}. */
    private static final List<String> PATH_VALUES = List.of("0", "-1", "99999999999999999999", "abc", "1.5", "%00",
            "%0D%0A", "%E2%80%AE", "..%2Fsecret.drl", "x".repeat(300));
    /** Whole bodies that are not a valid request body anywhere. */
    private static final List<String> BODIES = List.of("", " ", "{", "[]", "\"text\"", "99999999999999999999",
            "null", "{\"a\":1} trailing", NESTED, "{\"a\":" + NESTED + "}", "{\"zz_unknown\":1}",
            "{\"" + "x".repeat(70_000) + "\":1}");
    /** Values no field may hold: they must be refused, never stored. */
    private static final Set<String> NEVER_A_FIELD = Set.of("\"x\\u0000y\"", "\"x\\r\\ninjected: 1\"",
            "\"\\ud800\"", "99999999999999999999", "-99999999999999999999", "18446744073709551617", "1e400", "-1e400",
            NESTED);
    /** The fields of file contents, where CR and LF are text like any other. */
    private static final Set<String> LINES = Set.of("content", "files", "rules");
    /** Values no query parameter may hold. */
    private static final Set<String> NEVER_A_PARAMETER = Set.of("", "%00", "%0D%0Ainjected", "x".repeat(1_000));
    /** Values only a free-text parameter (a filter by actor, event or host group) may hold. */
    private static final Set<String> TEXT_ONLY = Set.of("99999999999999999999", "9999999999999999d", "NaN",
            "Infinity", "1e400", "2026-13-45T99:99:99Z");
    private static final Set<String> TEXT_PARAMETERS = Set.of("actor", "event", "group");
    /** Accounts' own rules name these fields in words rather than quoted. */
    private static final Set<String> NAMED_IN_WORDS = Set.of("username", "password");

    private static VigilServer server;
    private static String token;
    private static TestApi.Session session;
    private static final AtomicInteger UNIQUE = new AtomicInteger();
    /** The value of each path parameter for an object that exists, by route prefix. */
    private static Map<String, String> ids;
    private static Map<String, Supplier<JsonObject>> validBodies;
    private static final List<String> problems = new ArrayList<>();
    private static final Set<Access.Route> called = new LinkedHashSet<>();

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        server = VigilServer.start(config);
        token = TestApi.adminToken(server.port());
        JsonObject host = created("POST", "/api/v1/hosts", hostBody("probe-host"));
        long hostId = host.getJsonNumber("id").longValue();
        long incidentId = TestDatabase.openIncident(config.database().orElseThrow(), hostId, "cpu_high");
        JsonObject action = created("POST", "/api/v1/actions", Json.createObjectBuilder().add("host_id", hostId)
                .add("type", "restart_service").add("target", "nginx.service").add("reason", "probe").build());
        JsonObject user = created("POST", "/api/v1/users", Json.createObjectBuilder().add("username", "probe-user")
                .add("password", PASSWORD).add("role", "viewer").build());
        created("POST", "/api/v1/users", Json.createObjectBuilder().add("username", "probe-admin")
                .add("password", PASSWORD).add("role", "admin").build());
        session = TestApi.login(server.port(), "probe-admin", PASSWORD);
        long otherSession = sessionId(TestApi.login(server.port(), "probe-admin", PASSWORD));
        JsonObject issued = created("POST", "/api/v1/tokens", Json.createObjectBuilder().add("name", "probe")
                .add("role", "viewer").build());
        TestApi.remember(issued.getString("token"));
        assertEquals(201, call(route("POST", "/api/v1/maintenance"), "/api/v1/maintenance", body(maintenance(hostId)))
                .status(), "a window");
        String window = Json.createReader(new StringReader(call(route("GET", "/api/v1/maintenance"),
                "/api/v1/maintenance", null).body())).readArray().getJsonObject(0).get("id").toString();
        assertEquals(200, call(route("PUT", "/api/v1/rules/{file}"), "/api/v1/rules/probe.drl",
                body(Json.createObjectBuilder().add("content", RULE).build())).status(), "a rule file");
        called.clear();
        ids = Map.of("/api/v1/hosts/", Long.toString(hostId), "/api/v1/incidents/", Long.toString(incidentId),
                "/api/v1/actions/", action.getString("id"), "/api/v1/users/", Long.toString(user.getJsonNumber("id")
                        .longValue()), "/api/v1/tokens/", issued.get("id").toString(), "/api/v1/maintenance/", window,
                "/api/v1/auth/sessions/", Long.toString(otherSession), "/api/v1/rules/", "probe.drl");
        validBodies = Map.ofEntries(
                Map.entry("POST /api/v1/auth/setup", () -> account("probe-setup", null)),
                Map.entry("POST /api/v1/auth/login", () -> account("probe-admin", null)),
                Map.entry("POST /api/v1/auth/password", () -> Json.createObjectBuilder()
                        .add("current_password", PASSWORD).add("new_password", PASSWORD).build()),
                Map.entry("POST /api/v1/users", () -> account("probe-" + UNIQUE.incrementAndGet(), "viewer")),
                Map.entry("PUT /api/v1/users/{id}", () -> Json.createObjectBuilder().add("role", "viewer")
                        .add("password", PASSWORD).build()),
                Map.entry("POST /api/v1/tokens", () -> Json.createObjectBuilder().add("name", "probe")
                        .add("role", "viewer").build()),
                Map.entry("POST /api/v1/hosts", () -> hostBody("probe-" + UNIQUE.incrementAndGet())),
                Map.entry("PUT /api/v1/hosts/{id}", () -> hostBody("probe-host")),
                Map.entry("POST /api/v1/incidents/{id}/ack", () -> Json.createObjectBuilder()
                        .add("comment", "probe").build()),
                Map.entry("POST /api/v1/actions", () -> Json.createObjectBuilder().add("host_id", hostId)
                        .add("type", "kill_process").add("target", "java").add("pid", 4242)
                        .add("create_time", 1763800100.5).add("reason", "probe").add("incident_id", incidentId)
                        .build()),
                Map.entry("POST /api/v1/rules/validate", () -> Json.createObjectBuilder().add("name", "probe.drl")
                        .add("content", RULE).build()),
                Map.entry("POST /api/v1/rules/backtest", () -> Json.createObjectBuilder().add("host", hostId)
                        .add("from", Instant.now().minus(Duration.ofHours(1)).toString())
                        .add("to", Instant.now().toString())
                        .add("rules", Json.createObjectBuilder().add("probe.drl", RULE)).build()),
                Map.entry("PUT /api/v1/rules/{file}", () -> Json.createObjectBuilder().add("content", RULE).build()),
                Map.entry("POST /api/v1/maintenance", () -> maintenance(hostId)),
                Map.entry("PUT /api/v1/settings", () -> Json.createObjectBuilder().add("retention_days", 14)
                        .add("dry_run", true).add("poll_interval_seconds", 3600).add("reason", "probe").build()),
                Map.entry("PUT /api/v1/settings/telegram", () -> Json.createObjectBuilder()
                        .add("token", TestApi.remember("123456:" + "probe_token-".repeat(3)))
                        .add("chats", Json.createArrayBuilder().add(Json.createObjectBuilder().add("chat_id", -100123)
                                .add("topic_id", 42)))
                        .add("users", Json.createArrayBuilder().add(Json.createObjectBuilder().add("user_id", 11111)
                                .add("role", "operator")))
                        .add("min_severity", "warning").add("quiet_non_critical", true).build()),
                Map.entry("PUT /api/v1/telegram/status", () -> Json.createObjectBuilder().add("state", "running")
                        .add("bot_username", "vigil_bot").add("last_update_at", Instant.now().toString())
                        .add("last_error", "probe").add("last_error_at", Instant.now().toString())
                        .add("outbox_pending", 0).add("sent_total", 1)
                        .add("env_overrides", Json.createArrayBuilder().add("chats")).build()),
                Map.entry("POST /api/v1/telegram/requests", () -> Json.createObjectBuilder().add("kind", "test")
                        .build()),
                Map.entry("POST /api/v1/telegram/refusals", () -> Json.createObjectBuilder().add("user_id", 11111)
                        .add("username", "probe").add("command", "/stats").build()),
                Map.entry("POST /api/v1/telegram/lease", () -> Json.createObjectBuilder().add("holder", "bot-probe")
                        .add("release", false).build()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject hostBody(String name) {
        return Json.createObjectBuilder().add("name", name).add("url", "http://127.0.0.1:1").add("token", "t")
                .add("action_token", "a").add("interval_seconds", 3600).add("group", "probe")
                .add("labels", Json.createObjectBuilder().add("env", "test"))
                .add("policy", Json.createObjectBuilder().add("allowed_services", Json.createArrayBuilder()
                        .add("nginx.service")).add("killable_processes", Json.createArrayBuilder().add("java"))
                        .add("auto_reboot", false).add("dry_run", true)).build();
    }

    private static JsonObject account(String username, String role) {
        var json = Json.createObjectBuilder().add("username", username).add("password", PASSWORD);
        return (role == null ? json : json.add("role", role)).build();
    }

    private static JsonObject maintenance(long hostId) {
        return Json.createObjectBuilder().add("host_id", hostId).add("starts_at", Instant.now().toString())
                .add("ends_at", Instant.now().plus(Duration.ofHours(1)).toString()).add("reason", "probe").build();
    }

    private static long sessionId(TestApi.Session other) throws Exception {
        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/auth/me")).header("Cookie", other.cookie()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.createReader(new StringReader(me.body())).readObject().getJsonNumber("session_id").longValue();
    }

    private static Access.Route route(String method, String path) {
        return server.routes().stream().filter(r -> r.method().text().equals(method) && r.path().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError("no route " + method + " " + path));
    }

    private static JsonObject created(String method, String path, JsonObject body) throws Exception {
        Answer answer = call(route(method, path), path, body(body));
        assertEquals(201, answer.status(), answer.body());
        return Json.createReader(new StringReader(answer.body())).readObject();
    }

    private static HttpRequest.BodyPublisher body(JsonObject json) {
        return HttpRequest.BodyPublishers.ofString(json.toString());
    }

    private record Answer(int status, String contentType, String body) {
    }

    /**
     * Calls the route at this concrete path (with its query): as the probe admin's browser session for the
     * routes of one's own account, else with the admin's token. The event stream's body is not read.
     */
    private static Answer call(Access.Route route, String pathAndQuery, HttpRequest.BodyPublisher body)
            throws Exception {
        called.add(route);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(route.method().text(), body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (route.path().equals("/api/v1/auth/password") || route.path().equals("/api/v1/auth/sessions")) {
            request.header("Cookie", session.cookie()).header("X-XSRF-TOKEN", session.csrf());
        } else {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            boolean stream = route.path().equals("/api/v1/events") && response.statusCode() == 200;
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The route's path with each parameter filled by an object that exists. */
    private static String concrete(Access.Route route) {
        return route.path().contains("{") ? route.path().replace("{id}", id(route)).replace("{file}", id(route))
                : route.path();
    }

    private static String id(Access.Route route) {
        return ids.entrySet().stream().filter(e -> route.path().startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError(route + " has a path parameter but the test"
                        + " knows no object for it: add one to ids"));
    }

    private static String name(Access.Route route) {
        return route.method().text() + " " + route.path();
    }

    /**
     * Checks one answer: no 5xx; a 4xx is a JSON error with a message; a 400 about {@code field} names it; what
     * must be refused was.
     */
    private static void check(Access.Route route, String what, String value, Answer answer, Optional<String> field,
                              boolean mustRefuse) {
        String call = name(route) + " with " + what + " = " + shorten(value) + " → " + answer.status() + " "
                + shorten(answer.body());
        if (answer.status() >= 500) {
            problems.add(call);
            return;
        }
        if (answer.status() >= 400) {
            Optional<String> message = errorMessage(answer);
            if (message.isEmpty()) {
                problems.add(call + ": not a JSON error with a message");
            } else if (answer.status() == 400 && field.isPresent() && !names(message.get(), field.get())) {
                problems.add(call + ": the message does not name " + field.get());
            }
        } else if (mustRefuse) {
            problems.add(call + ": accepted");
        }
    }

    private static boolean names(String message, String field) {
        return message.contains("\"" + field + "\"") || NAMED_IN_WORDS.contains(field) && message.contains(field);
    }

    private static Optional<String> errorMessage(Answer answer) {
        if (!answer.contentType().startsWith("application/json")) {
            return Optional.empty();
        }
        try {
            JsonObject error = Json.createReader(new StringReader(answer.body())).readObject();
            return error.get("error") instanceof JsonString && error.get("message") instanceof JsonString message
                    ? Optional.of(message.getString()) : Optional.empty();
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static String shorten(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…(" + text.length() + ")" : text;
    }

    /** The valid body with {@code field} replaced by (or given) the raw JSON {@code value}. */
    private static String withField(JsonObject valid, String field, String value) {
        String rest = Json.createObjectBuilder(valid).remove(field).build().toString();
        return rest.equals("{}") ? "{\"" + field + "\":" + value + "}"
                : rest.substring(0, rest.length() - 1) + ",\"" + field + "\":" + value + "}";
    }

    private static void exercise(Access.Route route) throws Exception {
        String path = concrete(route);
        Optional<Supplier<JsonObject>> valid = Optional.ofNullable(validBodies.get(name(route)));
        List<String> fields = route.input().body();
        if (!fields.isEmpty() && valid.isEmpty()) {
            problems.add(name(route) + " takes " + fields + " but the test has no valid body for it: add one");
            return;
        }
        valid.ifPresent(v -> {
            if (!fields.containsAll(v.get().keySet())) {
                problems.add(name(route) + ": the test's valid body has fields the route does not declare");
            }
        });
        for (String parameter : route.input().query()) {
            for (String value : QUERY_VALUES) {
                check(route, "?" + parameter, value, call(route, path + "?" + parameter + "=" + value, null),
                        Optional.of(parameter), NEVER_A_PARAMETER.contains(value)
                                || TEXT_ONLY.contains(value) && !TEXT_PARAMETERS.contains(parameter));
            }
        }
        for (String field : fields) {
            for (String value : FIELD_VALUES) {
                check(route, field, value, call(route, path, HttpRequest.BodyPublishers.ofString(
                        withField(valid.orElseThrow().get(), field, value))), Optional.of(field),
                        NEVER_A_FIELD.contains(value) && !(LINES.contains(field) && value.contains("\\r\\n")));
            }
        }
        if (!fields.isEmpty()) {
            for (String body : BODIES) {
                check(route, "the body", body, call(route, path, HttpRequest.BodyPublishers.ofString(body)),
                        Optional.empty(), true);
            }
            check(route, "the body", "Latin-1 bytes", call(route, path, HttpRequest.BodyPublishers.ofByteArray(
                    "{\"caf\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1))), Optional.empty(), true);
        }
        check(route, "?zz_unknown", "1", call(route, path + "?zz_unknown=1", valid.map(v -> body(v.get()))
                .orElse(null)), Optional.of("zz_unknown"), true);
        if (!path.equals(route.path())) {
            for (String value : PATH_VALUES) {
                check(route, "the path", value, call(route, route.path().replace("{id}", value)
                        .replace("{file}", value), valid.map(v -> body(v.get())).orElse(null)), Optional.empty(), true);
            }
        }
        check(route, "a valid call", "", call(route, path, valid.map(v -> body(v.get())).orElse(null)),
                Optional.empty(), false);
    }

    @Test
    void noInputMakesAnyRouteAnswer5xxAndEveryRefusalNamesWhatIsWrong() throws Exception {
        List<Access.Route> routes = server.routes();
        // account changes and deletions last: they end what the other calls use; login last of all (throttle)
        List<Access.Route> ordered = new ArrayList<>(routes.stream().filter(r -> !last(r)).toList());
        ordered.addAll(routes.stream().filter(HostileInputTest::last).sorted((a, b) ->
                Boolean.compare(a.path().equals("/api/v1/auth/login"), b.path().equals("/api/v1/auth/login")))
                .toList());
        for (Access.Route route : ordered) {
            exercise(route);
        }
        assertEquals(List.of(), problems);
        assertEquals(Set.copyOf(routes), called, "every route of the routing table was called");
    }

    private static boolean last(Access.Route route) {
        return route.method().text().equals("DELETE") || route.path().equals("/api/v1/auth/login");
    }
}
