package dev.vigil.server.api;

import java.io.ByteArrayOutputStream;
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
import java.util.zip.GZIPOutputStream;

import dev.vigil.server.AgentJson;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded day of one host's stored samples (one a minute) replayed through the default rules and through a
 * candidate: CPU busy 10:00–10:30, / at 92% 14:00–16:00, nginx failed 18:00–18:05. The day is yesterday (UTC), from
 * the clock: a backtest without {@code to} runs until now, and a range spans at most 7 days.
 */
class BacktestApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
    private static VigilServer server;
    private static long hostId;
    private static ServerConfig config;

    /** The instant {@code offset} ({@code 10H30M}) into the seeded day. */
    private static Instant at(String offset) {
        return DAY.plus(Duration.parse("PT" + offset));
    }

    private static boolean between(Instant t, String from, String to) {
        return !t.isBefore(at(from)) && t.isBefore(at(to));
    }

    /** When the sample of {@code offset} into the day was received, as the backtest reports it. */
    private static String received(String offset) {
        return at(offset).plusMillis(30).toString();
    }

    @BeforeAll
    static void seed() throws Exception {
        config = TestDatabase.serverConfig();
        server = VigilServer.start(config);
        HttpResponse<String> created = call("POST", "/api/v1/hosts", "{\"name\":\"replayed\",\"url\":"
                + "\"http://127.0.0.1:1\",\"token\":\"t\",\"interval_seconds\":60,"
                + "\"policy\":{\"allowed_services\":[\"nginx.service\"]}}");
        hostId = Json.createReader(new StringReader(created.body())).readObject().getJsonNumber("id").longValue();
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement insert = c.prepareStatement("INSERT INTO samples (host_id, collected_at, received_at,"
                     + " cpu_percent, memory_percent, swap_percent, load1, load5, load15, disk_percent, detail)"
                     + " VALUES (?, ?, ?, ?, 40, 0, 0.5, 0.4, 0.3, ?, ?)")) {
            for (int minute = 0; minute < 24 * 60; minute++) {
                Instant at = DAY.plus(Duration.ofMinutes(minute));
                double cpu = between(at, "10H", "10H30M") ? 95 : 20;
                double disk = between(at, "14H", "16H") ? 92 : 50;
                String nginx = between(at, "18H", "18H5M") ? "failed" : "active";
                insert.setLong(1, hostId);
                insert.setTimestamp(2, Timestamp.from(at));
                insert.setTimestamp(3, Timestamp.from(at.plusMillis(30)));
                insert.setDouble(4, cpu);
                insert.setDouble(5, disk);
                insert.setBytes(6, gzip(AgentJson.snapshot(at, cpu, 40, disk, nginx).toString().getBytes()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(data);
        }
        return out.toByteArray();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject backtest(String extra) throws Exception {
        HttpResponse<String> response = call("POST", "/api/v1/rules/backtest", "{\"host\":" + hostId
                + ",\"from\":\"" + DAY + "\",\"to\":\"" + DAY.plus(Duration.ofDays(1)) + "\"" + extra + "}");
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject incident(JsonObject result, String key) {
        return result.getJsonArray("incidents").getValuesAs(JsonObject.class).stream()
                .filter(i -> i.getString("key").equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " incident in " + result));
    }

    @Test
    void theDefaultRulesFindTheIncidentsTheDayHolds() throws Exception {
        JsonObject result = backtest("");
        assertEquals("running", result.getString("rules"));
        assertEquals(1440, result.getInt("samples"));
        assertEquals(3, result.getJsonArray("incidents").size(), result.toString());

        JsonObject cpu = incident(result, "cpu");
        assertEquals(received("10H5M"), cpu.getString("opened_at"), "busy for 5 minutes");
        assertEquals(received("10H30M"), cpu.getString("resolved_at"));
        JsonObject disk = incident(result, "disk:/");
        assertEquals(received("14H"), disk.getString("opened_at"));
        assertEquals(received("16H"), disk.getString("resolved_at"));
        JsonObject service = incident(result, "service:nginx.service");
        assertEquals(received("18H5M"), service.getString("resolved_at"));

        List<JsonObject> actions = result.getJsonArray("actions").getValuesAs(JsonObject.class);
        assertEquals(1, actions.size(), actions.toString());
        assertEquals("restart_service", actions.getFirst().getString("type"));
        assertEquals("dry_run", actions.getFirst().getString("status"), "the test server runs with dry run on");
    }

    @Test
    void aCandidateRuleSetIsReplayedWithoutTouchingTheFolder() throws Exception {
        String stricter = new String(java.nio.file.Files.readAllBytes(config.rulesDir().resolve("disk.drl")))
                .replace("host.limit(\"disk_warning_percent\", 90)", "host.limit(\"disk_warning_percent\", 95)");
        JsonObject result = backtest(",\"rules\":{\"disk.drl\":" + Json.createValue(stricter) + "}");
        assertEquals("candidate", result.getString("rules"));
        assertTrue(result.getJsonArray("incidents").getValuesAs(JsonObject.class).stream()
                .noneMatch(i -> i.getString("kind").equals("disk")), result.toString());
        assertEquals(3, backtest("").getJsonArray("incidents").size(), "the running rules are unchanged");
        assertEquals(0, count("incidents"), "a backtest writes nothing");
        assertEquals(0, count("actions"));
    }

    @Test
    void aCandidateThatDoesNotCompileIs400AndARangeOverAWeekIsRefused() throws Exception {
        HttpResponse<String> broken = call("POST", "/api/v1/rules/backtest", "{\"host\":" + hostId
                + ",\"from\":\"" + DAY + "\",\"rules\":{\"x.drl\":\"rule when\"}}");
        assertEquals(400, broken.statusCode(), broken.body());
        assertTrue(broken.body().contains("\"problems\""), broken.body());
        HttpResponse<String> tooLong = call("POST", "/api/v1/rules/backtest", "{\"host\":" + hostId
                + ",\"from\":\"" + DAY.minus(Duration.ofDays(20)) + "\",\"to\":\"" + DAY + "\"}");
        assertEquals(400, tooLong.statusCode());
        assertEquals(400, call("POST", "/api/v1/rules/backtest", "{\"host\":\"nobody\",\"from\":1}").statusCode());
    }

    private static long count(String table) throws Exception {
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             var result = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
