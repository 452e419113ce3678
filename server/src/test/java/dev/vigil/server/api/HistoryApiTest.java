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

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seven days of one-minute samples up to yesterday (within the retention), served downsampled by the database. */
class HistoryApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(8));
    private static final int MINUTES = 7 * 24 * 60;
    private static VigilServer server;
    private static long hostId;

    @BeforeAll
    static void seed() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        server = VigilServer.start(config);
        HttpResponse<String> created = HTTP.send(TestApi.authorized(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hosts"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"history\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\",\"interval_seconds\":60}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        hostId = Json.createReader(new StringReader(created.body())).readObject().getJsonNumber("id").longValue();
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement insert = c.prepareStatement("INSERT INTO samples (host_id, collected_at, received_at,"
                     + " cpu_percent, memory_percent, swap_percent, load1, load5, load15, disk_percent)"
                     + " VALUES (?, ?, ?, ?, 50, 0, 1, 1, 1, 70)")) {
            for (int minute = 0; minute < MINUTES; minute++) {
                Timestamp at = Timestamp.from(START.plus(Duration.ofMinutes(minute)));
                insert.setLong(1, hostId);
                insert.setTimestamp(2, at);
                insert.setTimestamp(3, at);
                insert.setFloat(4, minute % 60); // 0..59 within every hour
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> metrics(String query) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hosts/"
                + hostId + "/metrics?" + query)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWeekIsACoupleOfThousandPointsByDefault() throws Exception {
        HttpResponse<String> response = metrics("from=" + START + "&to=" + START.plus(Duration.ofDays(7)));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject series = Json.createReader(new StringReader(response.body())).readObject();
        int points = series.getJsonArray("points").size();
        assertTrue(points > 1000 && points <= 1600, points + " points");
        assertEquals(404, series.getInt("step_seconds"), "7 days / 1,500 points, rounded up");
    }

    @Test
    void hourlyBucketsCarryTheAverageAndTheMaximum() throws Exception {
        long fromMillis = START.toEpochMilli();
        HttpResponse<String> response = metrics("from=" + fromMillis + "&to=" + START.plus(Duration.ofDays(7))
                + "&step=1h");
        JsonArray points = Json.createReader(new StringReader(response.body())).readObject().getJsonArray("points");
        assertEquals(168, points.size());
        JsonObject first = points.getJsonObject(0);
        assertEquals(START.toString(), first.getString("t"));
        assertEquals(60, first.getInt("samples"));
        assertEquals(29.5, first.getJsonObject("cpu").getJsonNumber("avg").doubleValue(), 0.001);
        assertEquals(59.0, first.getJsonObject("cpu").getJsonNumber("max").doubleValue(), 0.001);
        assertEquals(70.0, first.getJsonObject("disk").getJsonNumber("max").doubleValue(), 0.001);
        assertTrue(first.getJsonObject("net_recv").isNull("avg"), "no rates were stored");
    }

    @Test
    void badRangesAreRefusedWithTheReason() throws Exception {
        for (String[] bad : new String[][] {
                {"from=yesterday", "\"from\" must be ISO-8601"},
                {"from=" + START.plus(Duration.ofDays(2)) + "&to=" + START.plus(Duration.ofDays(1)), "before"},
                {"step=0", "\"step\""},
                {"step=5x", "\"step\""},
                {"from=" + START.minus(Duration.ofDays(300)) + "&to=" + START + "&step=1", "more than 10000 points"}}) {
            HttpResponse<String> response = metrics(bad[0]);
            assertEquals(400, response.statusCode(), bad[0]);
            assertTrue(response.body().contains(bad[1].replace("\"", "\\\"")), bad[0] + " → " + response.body());
        }
    }
}
