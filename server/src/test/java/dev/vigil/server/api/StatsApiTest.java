package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.vigil.server.AgentJson;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet summary ({@code GET /api/v1/stats}), open warnings ({@code GET /api/v1/warnings}) and polling a host
 * now ({@code POST /api/v1/hosts/{id}/refresh}) on the real database, with agents that answer what the test says.
 */
class StatsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private ServerConfig config;
    private VigilServer server;
    private FakeAgents agents;
    private String token;

    @BeforeEach
    void start() throws Exception {
        agents = new FakeAgents();
        config = TestDatabase.serverConfig();
        server = VigilServer.start(config);
        token = TestApi.adminToken(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        agents.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject object(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body, token);
        assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " "
                + response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private JsonArray array(String path) throws Exception {
        HttpResponse<String> response = call("GET", path, null, token);
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    /** A host of the fake agent {@code name}, polled hourly: the test polls it through refresh. */
    private long host(String name, String group) throws Exception {
        return object("POST", "/api/v1/hosts", "{\"name\":\"" + name + "\",\"url\":\"" + agents.url(name)
                + "\",\"token\":\"t\",\"interval_seconds\":3600,\"group\":\"" + group + "\"}")
                .getJsonNumber("id").longValue();
    }

    private JsonObject refresh(long host) throws Exception {
        return object("POST", "/api/v1/hosts/" + host + "/refresh", null);
    }

    /** A snapshot with these readings; the disks are (mount, percent) pairs. */
    private static JsonObject reading(double cpu, double memory, double load1, Object... disks) {
        var diskArray = Json.createArrayBuilder();
        for (int i = 0; i < disks.length; i += 2) {
            diskArray.add(Json.createObjectBuilder().add("mountpoint", (String) disks[i]).add("device", "/dev/vda")
                    .add("fstype", "ext4").add("total", 100).add("used", 1).add("free", 1)
                    .add("percent", (Double) disks[i + 1]));
        }
        JsonObject snapshot = AgentJson.snapshot(Instant.now(), cpu, memory, 0, "active");
        return Json.createObjectBuilder(snapshot).add("disk_usage", diskArray)
                .add("cpu", Json.createObjectBuilder(snapshot.getJsonObject("cpu"))
                        .add("load_avg", Json.createArrayBuilder().add(load1).add(0.1).add(0.1))).build();
    }

    private Connection database() throws Exception {
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    /** An incident as the rules would have left it; resolved when {@code recoverySeconds} is given. */
    private void incident(long host, String key, String severity, String state, Instant lastSeen,
                          Double recoverySeconds, boolean remediated) throws Exception {
        try (Connection c = database(); PreparedStatement insert = c.prepareStatement("INSERT INTO incidents"
                + " (host_id, incident_key, kind, subject, severity, message, state, occurrences, first_seen,"
                + " last_seen, open_key, resolved_at, recovery_seconds, remediated_at)"
                + " VALUES (?, ?, 'cpu', '', ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)")) {
            boolean resolved = state.equals("resolved");
            insert.setLong(1, host);
            insert.setString(2, key);
            insert.setString(3, severity);
            insert.setString(4, key + " on " + host);
            insert.setString(5, state);
            insert.setTimestamp(6, Timestamp.from(lastSeen.minus(Duration.ofMinutes(5))));
            insert.setTimestamp(7, Timestamp.from(lastSeen));
            insert.setString(8, resolved ? null : host + ":" + key);
            insert.setTimestamp(9, resolved ? Timestamp.from(lastSeen) : null);
            insert.setObject(10, recoverySeconds);
            insert.setTimestamp(11, remediated ? Timestamp.from(lastSeen) : null);
            insert.executeUpdate();
        }
    }

    private void action(long host, String status, Instant createdAt) throws Exception {
        try (Connection c = database(); PreparedStatement insert = c.prepareStatement("INSERT INTO actions (id,"
                + " host_id, type, target, reason, status, detail, requested_by, created_at, updated_at)"
                + " VALUES (?, ?, 'restart_service', 'nginx.service', 'test', ?, '', 'rules', ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setLong(2, host);
            insert.setString(3, status);
            insert.setTimestamp(4, Timestamp.from(createdAt));
            insert.setTimestamp(5, Timestamp.from(createdAt));
            insert.executeUpdate();
        }
    }

    @Test
    void anEmptyFleetIsAllZerosAndNoWorst() throws Exception {
        JsonObject stats = object("GET", "/api/v1/stats", null);
        assertTrue(Duration.between(Instant.parse(stats.getString("generated_at")), Instant.now()).abs()
                .compareTo(Duration.ofMinutes(1)) < 0, stats.toString());
        assertEquals(JsonValue.TRUE, stats.get("dry_run"), "the test server's dry run");
        assertEquals(Json.createObjectBuilder().add("total", 0).add("up", 0).add("down", 0).add("unknown", 0)
                .add("maintenance", 0).build(), stats.getJsonObject("hosts"));
        for (String gauge : List.of("cpu", "memory", "disk", "load")) {
            assertTrue(stats.getJsonObject("worst").isNull(gauge), gauge);
        }
        assertEquals(0, stats.getJsonObject("incidents").getInt("critical"));
        assertEquals(0, stats.getInt("pending_approvals"));
        JsonObject actions = stats.getJsonObject("actions_24h");
        assertEquals(0, actions.getJsonObject("by_outcome").getInt("succeeded"));
        assertTrue(actions.isNull("median_recovery_seconds"));
    }

    @Test
    void theSummaryCountsHostsIncidentsApprovalsAndActionsAndNamesTheWorstHostThatAnswers() throws Exception {
        // below what the default rules warn about: the incidents are the test's
        agents.serve("web-1", reading(77.5, 40, 3.5, "/", 50.0));
        agents.serve("web-2", reading(20, 71, 0.5, "/", 30.0, "/var", 83.25));
        agents.serve("db-1", reading(79.9, 79.9, 3.9, "/", 84.9));
        long web1 = host("web-1", "web");
        long web2 = host("web-2", "web");
        long db1 = host("db-1", "db");
        host("cache-1", "cache"); // never answers: one failed poll leaves it unknown
        assertEquals("ok", refresh(web1).getString("outcome"));
        assertEquals("ok", refresh(web2).getString("outcome"));
        assertEquals("up", refresh(db1).getString("status"));
        agents.fail("db-1"); // its last reading, the worst of all, is stale once it is down
        for (int i = 0; i < 3; i++) {
            refresh(db1);
        }
        awaitHostDownIncident(db1);
        object("POST", "/api/v1/maintenance", "{\"group\":\"web\",\"ends_at\":\"" + Instant.now().plus(
                Duration.ofHours(1)) + "\",\"reason\":\"kernel\"}");
        object("POST", "/api/v1/maintenance", "{\"host_id\":" + web1 + ",\"ends_at\":\"" + Instant.now().plus(
                Duration.ofHours(1)) + "\",\"reason\":\"and its disk\"}");
        object("POST", "/api/v1/maintenance", "{\"host_id\":" + db1 + ",\"starts_at\":\"" + Instant.now().plus(
                Duration.ofHours(1)) + "\",\"ends_at\":\"" + Instant.now().plus(Duration.ofHours(2))
                + "\",\"reason\":\"later\"}");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        incident(web1, "test-cpu", "critical", "open", now, null, false);
        incident(web2, "test-memory", "warning", "open", now, null, false);
        incident(db1, "test-disk", "warning", "acknowledged", now, null, false);
        incident(db1, "test-probe", "info", "open", now, null, false);
        incident(web1, "old", "critical", "resolved", now, 60.0, true);
        incident(web1, "old2", "critical", "resolved", now, 120.0, true);
        incident(web2, "old3", "critical", "resolved", now, 600.0, true);
        incident(web2, "by-itself", "warning", "resolved", now, 5.0, false);
        incident(web2, "long-ago", "warning", "resolved", now.minus(Duration.ofDays(2)), 1000.0, true);
        action(web1, "pending_approval", now);
        action(web2, "pending_approval", now.minus(Duration.ofDays(2)));
        action(web1, "succeeded", now);
        action(web1, "succeeded", now.minus(Duration.ofHours(23)));
        action(web2, "failed", now);
        action(web2, "dry_run", now.minus(Duration.ofHours(30)));

        JsonObject stats = object("GET", "/api/v1/stats", null);
        assertEquals(Json.createObjectBuilder().add("total", 4).add("up", 2).add("down", 1).add("unknown", 1)
                .add("maintenance", 2).build(), stats.getJsonObject("hosts"), stats.toString());
        JsonObject worst = stats.getJsonObject("worst");
        assertEquals(Json.createObjectBuilder().add("host_id", web1).add("host", "web-1").add("value", 77.5).build(),
                worst.getJsonObject("cpu"));
        assertEquals(Json.createObjectBuilder().add("host_id", web2).add("host", "web-2").add("value", 71.0).build(),
                worst.getJsonObject("memory"));
        assertEquals(Json.createObjectBuilder().add("host_id", web2).add("host", "web-2").add("value", 83.25)
                .add("mount", "/var").build(), worst.getJsonObject("disk"));
        assertEquals(3.5, worst.getJsonObject("load").getJsonNumber("value").doubleValue());
        assertEquals(Json.createObjectBuilder().add("critical", 2).add("warning", 2).build(),
                stats.getJsonObject("incidents"), "db-1's host-down and the test's");
        assertEquals(2, stats.getInt("pending_approvals"));
        JsonObject byOutcome = stats.getJsonObject("actions_24h").getJsonObject("by_outcome");
        assertEquals(1, byOutcome.getInt("pending_approval"));
        assertEquals(2, byOutcome.getInt("succeeded"));
        assertEquals(1, byOutcome.getInt("failed"));
        assertEquals(0, byOutcome.getInt("dry_run"), "30 hours ago");
        assertEquals(120.0, stats.getJsonObject("actions_24h").getJsonNumber("median_recovery_seconds")
                .doubleValue(), "of 60, 120 and 600 s; not the one without a remediation, nor the one of 2 days ago");
    }

    @Test
    void warningsAreTheOpenOnesCriticalFirstThenNewestWithTheHostName() throws Exception {
        long web1 = host("web-1", "web");
        long web2 = host("web-2", "web");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        incident(web1, "memory", "warning", "open", now.minus(Duration.ofMinutes(1)), null, false);
        incident(web2, "disk:/", "warning", "acknowledged", now, null, false);
        incident(web2, "cpu", "critical", "open", now.minus(Duration.ofHours(1)), null, false);
        incident(web1, "cpu", "critical", "open", now.minus(Duration.ofMinutes(30)), null, false);
        incident(web1, "probe", "info", "open", now, null, false);
        incident(web1, "gone", "critical", "resolved", now, 10.0, false);

        JsonArray warnings = array("/api/v1/warnings");
        assertEquals(List.of("web-1 cpu critical", "web-2 cpu critical", "web-2 disk:/ warning",
                "web-1 memory warning"), warnings.getValuesAs(JsonObject.class).stream()
                .map(w -> w.getString("host") + " " + w.getString("key") + " " + w.getString("severity")).toList());
        JsonObject first = warnings.getJsonObject(0);
        assertEquals(web1, first.getJsonNumber("host_id").longValue());
        assertEquals("open", first.getString("state"));
        assertEquals(Json.createObjectBuilder(first).remove("host").build(),
                object("GET", "/api/v1/incidents/" + first.getJsonNumber("id"), null), "the incident as it is served");
        assertEquals(2, array("/api/v1/warnings?limit=2").size());
        assertEquals(400, call("GET", "/api/v1/warnings?limit=0", null, token).statusCode());
    }

    @Test
    void anAcknowledgementTakesAnOptionalCommentThatTheAuditKeeps() throws Exception {
        long web1 = host("web-1", "web");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        incident(web1, "cpu", "warning", "open", now, null, false);
        incident(web1, "memory", "warning", "open", now, null, false);
        List<JsonObject> open = array("/api/v1/warnings").getValuesAs(JsonObject.class);
        String withComment = "/api/v1/incidents/" + open.get(0).getJsonNumber("id") + "/ack";
        String bare = "/api/v1/incidents/" + open.get(1).getJsonNumber("id") + "/ack";

        assertEquals(400, call("POST", withComment, "{\"comment\":\"a\\u0007b\"}", token).statusCode(),
                "no control characters");
        assertEquals("acknowledged", object("POST", withComment, "{\"comment\":\"looking into it\"}")
                .getString("state"));
        assertEquals("acknowledged", object("POST", bare, null).getString("state"), "the body is optional");
        List<String> details = array("/api/v1/audit?event=incident_acknowledged").getValuesAs(JsonObject.class)
                .stream().map(e -> e.getString("detail")).toList();
        assertTrue(details.stream().anyMatch(d -> d.endsWith(" — comment: looking into it")), details.toString());
        assertTrue(details.stream().anyMatch(d -> !d.contains("comment")), details.toString());
    }

    @Test
    void incidentsAndActionsFilterByTheirTimeAndHost() throws Exception {
        long web1 = host("web-1", "web");
        long web2 = host("web-2", "web");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // first seen 5 minutes before last seen: 3 h, 2 h and 1 h ago
        incident(web1, "three", "warning", "open", now.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(5)), null,
                false);
        incident(web1, "two", "warning", "resolved", now.minus(Duration.ofHours(2)).plus(Duration.ofMinutes(5)),
                10.0, false);
        incident(web2, "one", "critical", "open", now.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(5)), null,
                false);
        action(web1, "succeeded", now.minus(Duration.ofHours(3)));
        action(web2, "failed", now.minus(Duration.ofHours(2)));
        action(web1, "dry_run", now.minus(Duration.ofHours(1)));
        String twoHoursAgo = now.minus(Duration.ofHours(2)).toString();
        String oneHourAgoMillis = Long.toString(now.minus(Duration.ofHours(1)).toEpochMilli());

        assertEquals(List.of("two"), keys("/api/v1/incidents?from=" + twoHoursAgo + "&to=" + oneHourAgoMillis),
                "from inclusive, to exclusive; ISO-8601 or epoch milliseconds");
        assertEquals(List.of("one", "two"), keys("/api/v1/incidents?from=" + twoHoursAgo));
        assertEquals(List.of("three"), keys("/api/v1/incidents?to=" + twoHoursAgo + "&host=" + web1));
        assertEquals(List.of("two"), keys("/api/v1/incidents?from=" + twoHoursAgo + "&host=" + web1
                + "&state=resolved"));
        assertEquals(List.of("failed"), statuses("/api/v1/actions?from=" + twoHoursAgo + "&to=" + oneHourAgoMillis));
        assertEquals(List.of("dry_run", "failed"), statuses("/api/v1/actions?from=" + twoHoursAgo));
        assertEquals(List.of("dry_run", "succeeded"), statuses("/api/v1/actions?host=" + web1));
        assertEquals(List.of("succeeded"), statuses("/api/v1/actions?host=" + web1 + "&to=" + twoHoursAgo));
        for (String path : List.of("/api/v1/incidents", "/api/v1/actions")) {
            HttpResponse<String> backwards = call("GET", path + "?from=" + oneHourAgoMillis + "&to=" + twoHoursAgo,
                    null, token);
            assertEquals(400, backwards.statusCode(), backwards.body());
            assertTrue(backwards.body().contains("must be before"), backwards.body());
            assertEquals(400, call("GET", path + "?from=yesterday", null, token).statusCode());
        }
    }

    private List<String> keys(String path) throws Exception {
        return array(path).getValuesAs(JsonObject.class).stream().map(i -> i.getString("key")).toList();
    }

    private List<String> statuses(String path) throws Exception {
        return array(path).getValuesAs(JsonObject.class).stream().map(a -> a.getString("status")).toList();
    }

    @Test
    void refreshPollsTheHostNowStoresTheSampleAndFeedsTheRules() throws Exception {
        agents.serve("web-1", reading(42, 40, 0.5, "/", 50.0));
        long web1 = host("web-1", "web");
        awaitMetrics(1); // the scheduled first poll, within 2 s; the next is in an hour
        agents.serve("web-1", reading(43, 40, 0.5, "/", 50.0));
        int before = agents.polls("web-1");
        Instant asked = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonObject poll = refresh(web1);
        assertEquals(before + 1, agents.polls("web-1"), "one poll, now");
        assertEquals(web1, poll.getJsonNumber("host_id").longValue());
        assertEquals("ok", poll.getString("outcome"));
        assertEquals("up", poll.getString("status"));
        assertTrue(poll.getJsonNumber("latency_ms").longValue() >= 0);
        assertTrue(!Instant.parse(poll.getString("at")).isBefore(asked), poll.toString());
        assertEquals(poll.getString("at"), object("GET", "/api/v1/hosts/" + web1 + "/latest", null)
                .getJsonObject("last_poll").getString("at"), "the host's last poll");
        awaitMetrics(2);

        agents.fail("web-1");
        JsonObject failed = refresh(web1);
        assertEquals("http_error", failed.getString("outcome"));
        assertTrue(failed.getString("detail").contains("500"), failed.toString());

        assertEquals(404, call("POST", "/api/v1/hosts/999999/refresh", null, token).statusCode());
        assertEquals(403, call("POST", "/api/v1/hosts/" + web1 + "/refresh", null,
                TestApi.token(server.port(), "viewer")).statusCode());
        assertEquals(200, call("POST", "/api/v1/hosts/" + web1 + "/refresh", null,
                TestApi.token(server.port(), "operator")).statusCode());
        JsonArray audit = array("/api/v1/audit?event=api_call&limit=50");
        assertTrue(audit.getValuesAs(JsonObject.class).stream().anyMatch(e -> e.getString("subject")
                .equals("POST /api/v1/hosts/" + web1 + "/refresh") && e.getString("result").equals("ok")),
                audit.toString());
    }

    private void awaitHostDownIncident(long host) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (array("/api/v1/incidents?state=open&host=" + host).getValuesAs(JsonObject.class).stream()
                .noneMatch(i -> i.getString("severity").equals("critical"))) {
            assertTrue(System.nanoTime() < deadline, "no host-down incident of " + host);
            Thread.sleep(100);
        }
    }

    /** Waits until this many samples are stored and went to the rules. */
    private void awaitMetrics(int samples) throws Exception {
        String metrics = "";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !(metrics.contains("\nvigil_samples_written_total " + samples + "\n")
                && metrics.contains("\nvigil_rule_samples_total " + samples + "\n"))) {
            Thread.sleep(100);
            metrics = call("GET", "/metrics", null, token).body();
        }
        assertTrue(metrics.contains("\nvigil_samples_written_total " + samples + "\n"), "stored: " + metrics);
        assertTrue(metrics.contains("\nvigil_rule_samples_total " + samples + "\n"), "to the rules: " + metrics);
    }
}
