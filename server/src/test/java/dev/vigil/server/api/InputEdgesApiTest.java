package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inputs the issue found answered with a 500 or stored wrapped, each a 400 naming its field; bad JSON
 * explained in the caller's terms; a known path asked with another method is 405 with {@code Allow}.
 */
class InputEdgesApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Parsson's own words: token names, char codes, its location format, exception names. */
    private static final Pattern PARSER_WORDS = Pattern.compile("CURLYOPEN|Expected tokens|Invalid token"
            + "|Unexpected char|line no=|Exception");
    private static final String HUGE = "99999999999999999999";
    private static VigilServer server;
    private static String token;
    private static long hostId;

    @BeforeAll
    static void start() throws Exception {
        server = VigilServer.start(TestDatabase.serverConfig());
        token = TestApi.adminToken(server.port());
        HttpResponse<String> host = call("POST", "/api/v1/hosts",
                "{\"name\":\"edge\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\",\"interval_seconds\":3600}");
        assertEquals(201, host.statusCode(), host.body());
        hostId = object(host).getJsonNumber("id").longValue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20))
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static String killProcess(String pid, String createTime) {
        return "{\"host_id\":" + hostId + ",\"type\":\"kill_process\",\"target\":\"java\",\"pid\":" + pid
                + ",\"create_time\":" + createTime + ",\"reason\":\"edge\"}";
    }

    static Stream<Arguments> theIssuesInputs() {
        String soon = "\"" + Instant.now().plus(Duration.ofHours(1)) + "\"";
        String metrics = "/api/v1/hosts/" + hostId + "/metrics?";
        return Stream.of(
                Arguments.of("GET", metrics + "from=", null, "from"),
                Arguments.of("GET", metrics + "to=", null, "to"),
                Arguments.of("GET", metrics + "from=" + HUGE, null, "from"),
                Arguments.of("GET", "/api/v1/audit?from=" + HUGE, null, "from"),
                Arguments.of("GET", metrics + "step=" + HUGE, null, "step"),
                Arguments.of("GET", metrics + "step=9999999999999999d", null, "step"),
                Arguments.of("POST", "/api/v1/hosts", "{\"name\":\"interval\",\"url\":\"http://127.0.0.1:1\","
                        + "\"token\":\"t\",\"interval_seconds\":1000000000000}", "interval_seconds"),
                Arguments.of("POST", "/api/v1/actions", killProcess("4242", "1e400"), "create_time"),
                Arguments.of("POST", "/api/v1/actions", killProcess(HUGE, "1763800100.5"), "pid"),
                // 2^64 + 2: longValue() wraps it to 2, a PID the gate would take
                Arguments.of("POST", "/api/v1/actions", killProcess("18446744073709551618", "1763800100.5"), "pid"),
                Arguments.of("POST", "/api/v1/actions", "{\"host_id\":" + HUGE + ",\"type\":\"restart_service\","
                        + "\"target\":\"nginx.service\",\"reason\":\"edge\"}", "host_id"),
                Arguments.of("POST", "/api/v1/actions", "{\"host_id\":" + hostId + ",\"type\":\"restart_service\","
                        + "\"target\":\"nginx.service\",\"reason\":\"edge\",\"incident_id\":" + HUGE + "}",
                        "incident_id"),
                Arguments.of("POST", "/api/v1/maintenance", "{\"host_id\":" + hostId + ",\"ends_at\":" + HUGE
                        + ",\"reason\":\"edge\"}", "ends_at"),
                Arguments.of("POST", "/api/v1/maintenance", "{\"host_id\":" + hostId + ",\"starts_at\":"
                        + "\"9999-01-01T00:00:00Z\",\"ends_at\":\"9999-01-02T00:00:00Z\",\"reason\":\"edge\"}",
                        "starts_at"),
                Arguments.of("POST", "/api/v1/maintenance", "{\"host_id\":" + hostId + ",\"ends_at\":" + soon
                        + ",\"reason\":\"line\\r\\nforged\"}", "reason"),
                Arguments.of("POST", "/api/v1/rules/backtest", "{\"host\":" + hostId + ",\"from\":" + HUGE + "}",
                        "from"));
    }

    @ParameterizedTest(name = "{0} {1} → 400 naming {3}")
    @MethodSource("theIssuesInputs")
    void eachIs400NamingTheField(String method, String path, String body, String field) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        assertEquals(400, response.statusCode(), response.body());
        String message = object(response).getString("message");
        assertTrue(message.contains("\"" + field + "\""), message);
    }

    static Stream<Arguments> badJson() {
        return Stream.of(
                Arguments.of("{", "it ends before the JSON is complete"),
                Arguments.of("{\"name\" 1}", "unexpected '1' at line 1, column 9"),
                Arguments.of("{\"name\":\"a\",}", "unexpected '}' at line 1, column 13"),
                Arguments.of("{\"name\":\"a\"}\n{}", "unexpected '{' at line 2, column 1"),
                Arguments.of("{'name':1}", "unexpected ''' at line 1, column 2"),
                Arguments.of("", "it is empty"),
                Arguments.of(Named.of("20,000 nested arrays", "[".repeat(20_000) + "]".repeat(20_000)),
                        "nests deeper than 32 levels"),
                Arguments.of(Named.of("a field of 20,000 nested arrays", "{\"name\":" + "[".repeat(20_000)
                        + "]".repeat(20_000) + "}"), "nests deeper than 32 levels"),
                Arguments.of(Named.of("a number of 2,000 digits", "{\"interval_seconds\":" + "9".repeat(2000) + "}"),
                        "a number longer than 100 characters"));
    }

    @ParameterizedTest
    @MethodSource("badJson")
    void badJsonIsExplainedInTheCallersTerms(String body, String expected) throws Exception {
        HttpResponse<String> response = call("POST", "/api/v1/hosts", body);
        assertEquals(400, response.statusCode(), response.body());
        String message = object(response).getString("message");
        assertTrue(message.contains(expected), message);
        assertFalse(PARSER_WORDS.matcher(message).find(), "the parser's own words: " + message);
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedAsSuch() throws Exception {
        byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> response = send("POST", "/api/v1/hosts", HttpRequest.BodyPublishers.ofByteArray(latin1));
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("the body is not UTF-8 text", object(response).getString("message"));
    }

    @Test
    void aKnownPathAskedWithAnotherMethodIs405WithAllow() throws Exception {
        HttpResponse<String> patch = call("PATCH", "/api/v1/hosts/" + hostId, "{}");
        assertEquals(405, patch.statusCode(), patch.body());
        assertEquals("DELETE, GET, OPTIONS, PUT", patch.headers().firstValue("Allow").orElse(""));
        assertEquals("method_not_allowed", object(patch).getString("error"));
        assertTrue(object(patch).getString("message").contains("DELETE, GET, OPTIONS, PUT"), patch.body());

        HttpResponse<String> options = call("OPTIONS", "/api/v1/hosts", null);
        assertEquals(204, options.statusCode(), options.body());
        assertEquals("GET, OPTIONS, POST", options.headers().firstValue("Allow").orElse(""));

        HttpResponse<String> head = call("HEAD", "/api/v1/hosts", null);
        assertEquals(405, head.statusCode());
        assertEquals("GET, OPTIONS, POST", head.headers().firstValue("Allow").orElse(""));
        assertEquals("", head.body(), "an answer to HEAD has no body");

        assertEquals(405, call("DELETE", "/api/v1/actions", null).statusCode());
        HttpResponse<String> unknown = call("PATCH", "/api/v1/nothing", "{}");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Allow").isEmpty());
        assertEquals(200, call("GET", "/api/v1/hosts", null).statusCode(), "the connection is still good");
    }

    @Test
    void aQueryParameterTheRouteDoesNotTakeIsRefusedByName() throws Exception {
        HttpResponse<String> response = call("GET", "/api/v1/incidents?stat=open", null);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(object(response).getString("message").contains("\"stat\""), response.body());
    }
}
