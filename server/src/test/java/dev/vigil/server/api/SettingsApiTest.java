package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.vigil.server.AgentJson;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET/PUT /api/v1/settings} on the real database: the environment gives the first values only, a change is
 * in force at once (the gate's dry run, the stats, the poll interval of hosts without their own), audited and
 * published, and a stored value that cannot be read stops the start.
 */
class SettingsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private ServerConfig config;
    private VigilServer server;
    private String token;

    @BeforeEach
    void start() {
        config = TestDatabase.serverConfig(); // dry run, 14 days, 10 s
        server = VigilServer.start(config);
        token = TestApi.adminToken(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject object(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " "
                + response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject settings(int retentionDays, boolean dryRun, int pollIntervalSeconds) {
        return Json.createObjectBuilder().add("retention_days", retentionDays).add("dry_run", dryRun)
                .add("poll_interval_seconds", pollIntervalSeconds).build();
    }

    private JsonArray settingsAudit() throws Exception {
        HttpResponse<String> response = call("GET", "/api/v1/audit?event=settings_changed", null);
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    private String propose(long host) throws Exception {
        return object("POST", "/api/v1/actions", "{\"host_id\":" + host + ",\"type\":\"restart_service\","
                + "\"target\":\"nginx.service\",\"reason\":\"test\"}").getString("status");
    }

    @Test
    void turningTheDryRunOffNeedsAReasonAndIsInForceAtOnceAuditedAndPublished() throws Exception {
        assertEquals(settings(14, true, 10), object("GET", "/api/v1/settings", null), "the environment's values");
        long host = object("POST", "/api/v1/hosts", "{\"name\":\"web-1\",\"url\":\"http://127.0.0.1:1\","
                + "\"token\":\"t\",\"action_token\":\"a\",\"interval_seconds\":3600,"
                + "\"policy\":{\"allowed_services\":[\"nginx.service\"]}}").getJsonNumber("id").longValue();
        assertEquals("dry_run", propose(host));

        for (String body : List.of("{\"dry_run\":false}", "{\"dry_run\":false,\"reason\":\"  \"}")) {
            HttpResponse<String> refused = call("PUT", "/api/v1/settings", body);
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("\\\"reason\\\""), refused.body());
        }
        assertEquals(400, call("PUT", "/api/v1/settings", "{\"retention_days\":91}").statusCode());
        assertEquals(400, call("PUT", "/api/v1/settings", "{\"poll_interval_seconds\":4}").statusCode());
        assertEquals(400, call("PUT", "/api/v1/settings", "{\"dry_run\":\"false\",\"reason\":\"x\"}").statusCode());
        assertEquals(settings(14, true, 10), object("GET", "/api/v1/settings", null), "nothing refused was kept");
        assertEquals(0, settingsAudit().size());

        try (Events events = new Events(server.port(), token)) {
            assertEquals(settings(7, false, 10), object("PUT", "/api/v1/settings",
                    "{\"dry_run\":false,\"retention_days\":7,\"reason\":\"go live after the review\"}"));
            JsonObject event = events.next("settings_changed");
            assertEquals(settings(7, false, 10), Json.createObjectBuilder(event).remove("event_at").build());
        }
        assertEquals(settings(7, false, 10), object("GET", "/api/v1/settings", null));
        assertEquals("approved", propose(host), "the gate reads the new dry run");
        assertEquals(false, object("GET", "/api/v1/stats", null).getBoolean("dry_run"));

        JsonObject entry = settingsAudit().getJsonObject(0);
        assertTrue(entry.getString("actor").startsWith("token:test admin"), entry.toString());
        assertEquals("settings", entry.getString("subject"));
        assertEquals("retention_days: 14 → 7; dry_run: true → false (reason: go live after the review)",
                entry.getString("detail"));

        assertEquals(settings(7, false, 10), object("PUT", "/api/v1/settings", "{\"dry_run\":false}"),
                "no change, nothing to say why");
        assertEquals(1, settingsAudit().size(), "a call that changes nothing is no change");
        assertEquals(settings(7, true, 10), object("PUT", "/api/v1/settings", "{\"dry_run\":true}"),
                "back to safety needs no reason");
        assertEquals("dry_run", propose(host));
        assertEquals("dry_run: false → true", settingsAudit().getJsonObject(0).getString("detail"));
    }

    @Test
    void theStoredSettingsWinOverTheEnvironmentAtTheNextStart() throws Exception {
        object("PUT", "/api/v1/settings", "{\"dry_run\":false,\"retention_days\":30,\"poll_interval_seconds\":60,"
                + "\"reason\":\"test\"}");
        server.close();
        server = VigilServer.start(config); // VIGIL_DRY_RUN=true, 14 days, 10 s
        token = TestApi.adminToken(server.port());
        assertEquals(settings(30, false, 60), object("GET", "/api/v1/settings", null));
    }

    @Test
    void aStoredValueThatCannotBeReadStopsTheStartAndIsNeverTakenForNoDryRun() throws Exception {
        server.close();
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        for (String broken : List.of("dry_run = 2", "retention_days = 500", "poll_interval_seconds = 1")) {
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                 Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE settings SET dry_run = 1, retention_days = 14, poll_interval_seconds = 10");
                s.executeUpdate("UPDATE settings SET " + broken);
            }
            String column = broken.substring(0, broken.indexOf(' '));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> VigilServer.start(config.withDryRun(false)), broken);
            assertTrue(refused.getMessage().startsWith("the stored setting " + column + " is "),
                    refused.getMessage());
        }
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE settings SET dry_run = 1, retention_days = 14, poll_interval_seconds = 10");
        }
        server = VigilServer.start(config.withDryRun(false));
        token = TestApi.adminToken(server.port());
        assertEquals(settings(14, true, 10), object("GET", "/api/v1/settings", null));
    }

    @Test
    void thePollIntervalIsThatOfHostsWithoutTheirOwnAndAppliesAtOnce() throws Exception {
        try (FakeAgents agents = new FakeAgents()) {
            agents.serve("own", AgentJson.snapshot(java.time.Instant.now(), 1, 1, 1, "active"));
            agents.serve("default", AgentJson.snapshot(java.time.Instant.now(), 1, 1, 1, "active"));
            long own = object("POST", "/api/v1/hosts", "{\"name\":\"own\",\"url\":\"" + agents.url("own")
                    + "\",\"token\":\"t\",\"interval_seconds\":3600}").getJsonNumber("id").longValue();
            JsonObject created = object("POST", "/api/v1/hosts", "{\"name\":\"default\",\"url\":\""
                    + agents.url("default") + "\",\"token\":\"t\"}");
            long follower = created.getJsonNumber("id").longValue();
            assertTrue(created.isNull("interval_seconds"), created.toString());
            assertEquals(10, created.getInt("effective_interval_seconds"));

            object("PUT", "/api/v1/settings", "{\"poll_interval_seconds\":3600}");
            JsonObject slow = object("GET", "/api/v1/hosts/" + follower, null);
            assertTrue(slow.isNull("interval_seconds"));
            assertEquals(3600, slow.getInt("effective_interval_seconds"));
            assertEquals(3600, object("GET", "/api/v1/hosts/" + own, null).getInt("effective_interval_seconds"));

            object("PUT", "/api/v1/settings", "{\"poll_interval_seconds\":5}");
            assertEquals(3600, object("GET", "/api/v1/hosts/" + own, null).getInt("interval_seconds"),
                    "its own interval stays");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (agents.polls("own") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // its first poll, within 2 s of its registration
            }
            int ownBefore = agents.polls("own");
            int before = agents.polls("default");
            Thread.sleep(11_000);
            assertTrue(agents.polls("default") >= before + 2, "every 5 s now: " + before + " → "
                    + agents.polls("default"));
            assertEquals(ownBefore, agents.polls("own"), "hourly");

            object("PUT", "/api/v1/hosts/" + follower, "{\"name\":\"default\",\"url\":\"" + agents.url("default")
                    + "\",\"interval_seconds\":60}");
            assertEquals(60, object("GET", "/api/v1/hosts/" + follower, null).getInt("effective_interval_seconds"));
        }
    }

    /** The event stream, read on a thread of its own. */
    private static final class Events implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        Events(int port, String token) throws InterruptedException {
            response = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/events")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofLines());
            Thread.ofVirtual().start(() -> {
                try (Stream<String> body = response.join().body()) {
                    body.forEach(lines::add);
                } catch (RuntimeException closed) {
                    lines.add("closed");
                }
            });
            assertEquals(": connected", lines.poll(10, TimeUnit.SECONDS), "the stream is open");
        }

        /** The data of the next event of this type. */
        JsonObject next(String type) throws InterruptedException {
            for (String line = ""; line != null; line = lines.poll(10, TimeUnit.SECONDS)) {
                if (line.equals("event: " + type)) {
                    String data = lines.poll(10, TimeUnit.SECONDS);
                    assertNotNull(data);
                    return Json.createReader(new StringReader(data.substring("data: ".length()))).readObject();
                }
            }
            throw new AssertionError("no " + type + " event within 10 s");
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }
}
