package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.server.CapturedLog;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.SecretBox;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Agent tokens become the {@code Authorization} header of every poll and action: one that cannot be a header is
 * refused on input, and one stored before that rule makes its host's polls fail, visibly and without a trace of the
 * token in any log line.
 */
class AgentTokensTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Stored straight into the database, as before tokens were checked: CR LF and a header of its own. */
    private static final String STORED_INJECTING = TestApi.remember("vigil-stored-read-token\r\nX-Injected: 1");
    /** What the refusal says → a token it refuses. */
    private static final Map<String, String> UNSENDABLE = Map.of(
            "is a line break", "vigil-token-with\r\nX-Injected: 1",
            "is a space", "vigil-token-with a-space",
            "is a control character", "vigil-token-with-bell\u0007",
            "is a tab", "vigil-token-with\ta-tab",
            "is not ASCII", "vigil-token-with-ümlaut",
            "at most 512 characters, not 514", "vigil-token-" + "x".repeat(502));
    private static CapturedLog log;
    private static VigilServer server;
    private static long storedHostId;

    @BeforeAll
    static void start() {
        UNSENDABLE.values().forEach(TestApi::remember);
        ServerConfig config = TestDatabase.serverConfig();
        try (Database database = Database.open(config)) {
            HostStore hosts = new HostStore(database.client(), SecretBox.open(Optional.empty(), config.dataDir()));
            storedHostId = hosts.create(new Host.Spec("stored-before", URI.create("http://127.0.0.1:1"),
                    Optional.of(STORED_INJECTING), Optional.empty(), Optional.of(5), Optional.empty(), Map.of(), Host.Policy.NONE))
                    .id();
        }
        log = new CapturedLog();
        server = VigilServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
        log.close();
    }

    private static HttpResponse<String> call(String method, String path, JsonObject body) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject host(String name, String field, String token) {
        var json = Json.createObjectBuilder().add("name", name).add("url", "http://127.0.0.1:9130")
                .add("token", "a-good-read-token").add("interval_seconds", 3600);
        return json.add(field, token).build();
    }

    @Test
    void aTokenThatCannotBeAHeaderIs400OnCreateAndOnUpdateAndTheStoredHostKeepsItsTokens() throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/hosts", host("kept", "action_token", "a-good-action-token"));
        assertEquals(201, created.statusCode(), created.body());
        long id = object(created).getJsonNumber("id").longValue();
        for (String field : List.of("token", "action_token")) {
            for (Map.Entry<String, String> bad : UNSENDABLE.entrySet()) {
                for (HttpResponse<String> refused : List.of(
                        call("POST", "/api/v1/hosts", host("refused", field, bad.getValue())),
                        call("PUT", "/api/v1/hosts/" + id, host("kept", field, bad.getValue())))) {
                    assertEquals(400, refused.statusCode(), field + " " + bad.getKey() + ": " + refused.body());
                    String message = object(refused).getString("message");
                    assertTrue(message.startsWith("\"" + field + "\" must be"), message);
                    assertTrue(message.contains(bad.getKey()), message);
                    assertFalse(refused.body().contains("vigil-token-with"), "the token is not repeated: " + message);
                }
            }
        }
        assertFalse(call("GET", "/api/v1/hosts", null).body().contains("\"refused\""), "nothing was created");
        JsonObject kept = object(call("GET", "/api/v1/hosts/" + id, null));
        assertTrue(kept.getBoolean("has_action_token"), kept.toString());
        assertEquals(3600, kept.getInt("interval_seconds"), "no refused update was applied");

        String longest = "t".repeat(512);
        assertEquals(200, call("PUT", "/api/v1/hosts/" + id, host("kept", "token", longest)).statusCode(),
                "512 visible characters are a token");
        assertEquals(400, call("PUT", "/api/v1/hosts/" + id, host("kept", "action_token", "  ")).statusCode(),
                "only \"\" removes the action token");
        assertFalse(object(call("PUT", "/api/v1/hosts/" + id, host("kept", "action_token", "")))
                .getBoolean("has_action_token"));
    }

    @Test
    void aUrlWithCredentialsAQueryOrAFragmentIs400() throws Exception {
        for (String url : List.of("http://agent:secret-password@127.0.0.1:9130", "http://127.0.0.1:9130/?a=1",
                "http://127.0.0.1:9130/#top")) {
            HttpResponse<String> refused = call("POST", "/api/v1/hosts", Json.createObjectBuilder()
                    .add("name", "with-url").add("url", url).add("token", "t").build());
            assertEquals(400, refused.statusCode(), url);
            assertTrue(object(refused).getString("message").startsWith("\"url\" must"), refused.body());
        }
    }

    @Test
    void aStoredTokenThatCannotBeSentFailsEveryPollTheHostGoesDownAndTheIncidentSaysWhy() throws Exception {
        JsonObject latest = awaitObject("/api/v1/hosts/" + storedHostId + "/latest",
                json -> json.getString("status").equals("down"), Duration.ofSeconds(60));
        JsonObject lastPoll = latest.getJsonObject("last_poll");
        assertEquals("not_sent", lastPoll.getString("outcome"));
        assertTrue(lastPoll.getString("detail").startsWith("the stored read token is unusable: it must be visible"
                + " ASCII characters without spaces or control characters: character 24 is a line break; set a new"
                + " \"token\" with PUT /api/v1/hosts/" + storedHostId), lastPoll.getString("detail"));
        assertTrue(latest.getInt("consecutive_failures") >= 3, latest.toString());

        JsonObject incident = awaitIncident();
        assertEquals("critical", incident.getString("severity"));
        assertTrue(incident.getString("message").contains("not_sent: the stored read token is unusable"),
                incident.toString());

        assertFalse(log.containing("stored-before is down after 3 failed polls (last: not_sent").isEmpty(),
                "down after the usual 3 failed polls: " + log.lines());
        for (String part : STORED_INJECTING.split("\r\n")) {
            assertEquals(List.of(), log.containing(part), "no log line holds the token");
        }
    }

    private static JsonObject awaitIncident() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonObject> hostDown = Json.createReader(new StringReader(call("GET", "/api/v1/incidents?host="
                    + storedHostId, null).body())).readArray().getValuesAs(JsonObject.class).stream()
                    .filter(i -> i.getString("kind").equals("host-down")).findFirst();
            if (hostDown.isPresent()) {
                return hostDown.get();
            }
            Thread.sleep(200);
        }
        return fail("no host-down incident for host " + storedHostId);
    }

    private static JsonObject awaitObject(String path, java.util.function.Predicate<JsonObject> condition,
                                          Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = object(call("GET", path, null));
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        return fail(path + " did not reach the expected state within " + within + ": " + last);
    }
}
