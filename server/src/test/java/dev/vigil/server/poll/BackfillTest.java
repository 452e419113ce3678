package dev.vigil.server.poll;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vigil.server.AgentJson;
import dev.vigil.server.AgentProxy;
import dev.vigil.server.CapturedLog;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.LiveAgent;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A host's stored samples have no hole after an outage of its agent or of the server: the gap is filled from a
 * real agent's history ({@link LiveAgent}, sampling every 500 ms), marked as backfilled and kept from the rules;
 * an agent without the history endpoint costs one request per recovery and one log line per host.
 */
class BackfillTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int INTERVAL_SECONDS = 5;
    /** Live samples are an interval apart, give or take the agent's 500 ms sampling. */
    private static final Duration NO_HOLE = Duration.ofSeconds(INTERVAL_SECONDS + 1);
    /** How long the restarted server is away: two intervals, or the 60 s with -Dbackfill.away.seconds=60. */
    private static final Duration SERVER_AWAY = Duration.ofSeconds(Long.getLong("backfill.away.seconds",
            2L * INTERVAL_SECONDS));

    /** Hosts whose gaps one server restart leaves, each its own real agent. */
    private static final int HOSTS_ACROSS_A_RESTART = 3;

    private record Row(Instant collectedAt, boolean backfilled) {
    }

    /** A server under test and an admin API token for it. */
    private record Api(int port, String token) {
        Api(VigilServer server) {
            this(server.port(), TestApi.adminToken(server.port()));
        }

        HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        }

        long addHost(String name, URI url, String agentToken) throws Exception {
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/hosts"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"url\":\"" + url
                            + "\",\"token\":\"" + agentToken + "\",\"interval_seconds\":" + INTERVAL_SECONDS + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            return Json.createReader(new StringReader(created.body())).readObject().getJsonNumber("id").longValue();
        }

        /** The value of one series of the server's /metrics (0 when it is not there). */
        long counter(String series) throws Exception {
            for (String line : get("/metrics").body().split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Long.parseLong(line.substring(series.length() + 1));
                }
            }
            return 0;
        }
    }

    private static List<Row> rows(ServerConfig.ExternalDatabase db, long hostId) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement select = c.prepareStatement(
                     "SELECT collected_at, backfilled FROM samples WHERE host_id = ? ORDER BY collected_at")) {
            select.setLong(1, hostId);
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getTimestamp(1).toInstant(), r.getBoolean(2)));
                }
            }
        }
        return rows;
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("timed out waiting for " + what);
    }

    /** Backfilled rows, then a live one after them: the gap was filled and polling went on. */
    private static boolean filledAndPolledOn(List<Row> rows) {
        int lastBackfilled = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).backfilled()) {
                lastBackfilled = i;
            }
        }
        return lastBackfilled >= 0 && lastBackfilled < rows.size() - 1;
    }

    /**
     * No step missing from the last sample stored before the outage on: consecutive samples never further apart
     * than an interval (and the agent's jitter). Before, live polls may be further apart on a busy machine.
     */
    private static void assertNoHole(List<Row> rows, int storedBefore) {
        for (int i = storedBefore; i < rows.size(); i++) {
            Duration gap = Duration.between(rows.get(i - 1).collectedAt(), rows.get(i).collectedAt());
            assertTrue(gap.compareTo(NO_HOLE) <= 0, "a hole of " + gap + " before " + rows.get(i) + " in " + rows);
        }
    }

    /** The backfilled rows are one stretch, between the live rows before and after the outage. */
    private static long assertOneBackfilledStretch(List<Row> rows) {
        List<Boolean> marks = rows.stream().map(Row::backfilled).toList();
        int first = marks.indexOf(true);
        int last = marks.lastIndexOf(true);
        assertTrue(first > 0 && last < rows.size() - 1, "live samples on both sides: " + rows);
        assertTrue(marks.subList(first, last + 1).stream().allMatch(b -> b), "one stretch: " + rows);
        long backfilled = last - first + 1;
        assertTrue(backfilled >= 2 * INTERVAL_SECONDS, "the agent sampled twice a second in the gap: " + rows);
        return backfilled;
    }

    @Test
    void anAgentUnreachableForAWhileLeavesNoHoleAndTheFilledGapIsMarkedAndKeptFromTheRules() throws Exception {
        Path dir = TestDatabase.testDir("backfill-outage");
        ServerConfig config = TestDatabase.serverConfig();
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        try (LiveAgent agent = LiveAgent.start("unix:path=" + dir.resolve("no-bus"), dir.resolve("agent"), Map.of());
             AgentProxy proxy = new AgentProxy(agent.url());
             VigilServer server = VigilServer.start(config)) {
            Api api = new Api(server);
            long host = api.addHost("flaky", proxy.url(), LiveAgent.READ_TOKEN);
            await("two live samples", () -> rows(db, host).size() >= 2);
            long failedBefore = api.counter("vigil_polls_total{outcome=\"http_error\"}");
            proxy.cut(true);
            await("two failed polls", () -> api.counter("vigil_polls_total{outcome=\"http_error\"}")
                    >= failedBefore + 2);
            int storedBefore = rows(db, host).size();
            proxy.cut(false);
            await("the gap backfilled and a live sample after it", () -> filledAndPolledOn(rows(db, host)));

            List<Row> rows = rows(db, host);
            assertNoHole(rows, storedBefore);
            long backfilled = assertOneBackfilledStretch(rows);
            assertEquals(1, api.counter("vigil_backfills_total{outcome=\"ok\"}"));
            assertEquals(backfilled, api.counter("vigil_backfilled_samples_total"));
            long live = rows.size() - backfilled;
            assertTrue(api.counter("vigil_rule_samples_total") + api.counter("vigil_rule_samples_skipped_total")
                    <= live, "the rules saw live samples only");

            Instant now = Instant.now();
            HttpResponse<String> series = api.get("/api/v1/hosts/" + host + "/metrics?from="
                    + now.minus(Duration.ofMinutes(10)) + "&to=" + now.plusSeconds(60) + "&step=" + INTERVAL_SECONDS);
            assertEquals(200, series.statusCode(), series.body());
            long marked = 0;
            for (JsonValue point : Json.createReader(new StringReader(series.body())).readObject()
                    .getJsonArray("points")) {
                JsonObject p = point.asJsonObject();
                assertTrue(p.getInt("backfilled") <= p.getInt("samples"), p.toString());
                marked += p.getInt("backfilled");
            }
            assertEquals(backfilled, marked, "each point counts its backfilled samples");
        }
    }

    @Test
    void aServerStartedAgainOnTheSameDatabaseBackfillsEveryHostsGapSinceItsLastSample() throws Exception {
        Path dir = TestDatabase.testDir("backfill-restart");
        ServerConfig config = TestDatabase.serverConfig();
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        List<LiveAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTS_ACROSS_A_RESTART; i++) {
                agents.add(LiveAgent.start("unix:path=" + dir.resolve("no-bus"), dir.resolve("agent-" + i),
                        Map.of()));
            }
            List<Long> hosts = new ArrayList<>();
            Map<Long, Integer> storedBefore = new HashMap<>();
            Instant stopped;
            try (VigilServer first = VigilServer.start(config)) {
                Api api = new Api(first);
                for (int i = 0; i < agents.size(); i++) {
                    hosts.add(api.addHost("steady-" + i, agents.get(i).url(), LiveAgent.READ_TOKEN));
                }
                for (long host : hosts) {
                    await("two live samples of host " + host, () -> rows(db, host).size() >= 2);
                }
            } finally {
                stopped = Instant.now();
            }
            for (long host : hosts) {
                storedBefore.put(host, rows(db, host).size());
            }
            Thread.sleep(SERVER_AWAY.toMillis());
            try (VigilServer second = VigilServer.start(config)) {
                Api api = new Api(second);
                Duration away = Duration.between(stopped, Instant.now());
                long backfilled = 0;
                for (long host : hosts) {
                    await("host " + host + "'s gap backfilled and a live sample after it",
                            () -> filledAndPolledOn(rows(db, host)));
                    List<Row> rows = rows(db, host);
                    assertNoHole(rows, storedBefore.get(host));
                    backfilled += assertOneBackfilledStretch(rows);
                }
                assertEquals(backfilled, api.counter("vigil_backfilled_samples_total"));
                assertEquals(hosts.size(), api.counter("vigil_backfills_total{outcome=\"ok\"}"));
                System.out.printf("backfill: the server was away %.1f s; %d hosts, every one without a missing step"
                        + " (samples at most %d s apart), %d samples backfilled%n", away.toMillis() / 1000.0,
                        hosts.size(), NO_HOLE.toSeconds(), backfilled);
            }
        } finally {
            for (LiveAgent agent : agents) {
                agent.close();
            }
        }
    }

    @Test
    void anAgentWithoutHistoryIsAskedOncePerRecoveryLoggedOnceAndPolledOn() throws Exception {
        try (FakeAgents agents = new FakeAgents();
             CapturedLog log = new CapturedLog();
             VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            Api api = new Api(server);
            agents.serve("old", AgentJson.snapshot(Instant.now(), 10, 40, 50, "active"));
            long host = api.addHost("old", agents.url("old"), "t");
            await("a first poll", () -> agents.polls("old") >= 1);
            for (int outage = 1; outage <= 2; outage++) {
                agents.fail("old");
                int polled = agents.polls("old");
                await("two failed polls", () -> agents.polls("old") >= polled + 2);
                agents.serve("old", AgentJson.snapshot(Instant.now(), 10, 40, 50, "active"));
                int expected = outage;
                await("the backfill found unsupported",
                        () -> api.counter("vigil_backfills_total{outcome=\"unsupported\"}") == expected);
            }
            int polled = agents.polls("old");
            await("polling goes on", () -> agents.polls("old") >= polled + 1);
            assertEquals(2, agents.historyRequests("old"), "one history request per recovery, no retries");
            assertEquals(0, api.counter("vigil_backfills_total{outcome=\"failed\"}"));
            assertEquals(1, log.containing("Cannot backfill the gap of old").size(), String.valueOf(log.lines()));
            assertTrue(api.get("/api/v1/hosts/" + host).body().contains("\"status\":\"up\""));
        }
    }
}
