package dev.vigil.agent.api;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.vigil.agent.Agent;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.vigil.agent.api.AgentHttpTest.assertCleanError;
import static dev.vigil.agent.api.AgentHttpTest.config;
import static dev.vigil.agent.api.AgentHttpTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/metrics/history} of the real agent on a loopback port, sampling this machine twice a second. */
class HistoryHttpTest {
    private static final String READ = "Bearer read-token-1";
    private static final String ACTION = "action-token-2";
    private static final String HISTORY = "/api/v1/metrics/history";

    private static Agent agent;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startAgent() {
        agent = Agent.start(config(Map.of("vigil.agent.sample.interval", "500ms",
                "vigil.agent.action.token", ACTION, "vigil.agent.state.dir", stateDir.toString())));
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    /** The history once it holds at least {@code count} snapshots. */
    private static String historyOf(Agent target, int count) throws Exception {
        for (long deadline = System.nanoTime() + 20_000_000_000L; ; Thread.sleep(100)) {
            HttpResponse<String> response = get(target, HISTORY, READ);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            if (array(response.body()).size() >= count || System.nanoTime() > deadline) {
                return response.body();
            }
        }
    }

    private static JsonArray array(String body) {
        return Json.createReader(new StringReader(body)).readArray();
    }

    private static Instant collectedAt(JsonValue snapshot) {
        return Instant.parse(snapshot.asJsonObject().getString("collected_at"));
    }

    private static String snapshot(Agent target) throws Exception {
        HttpResponse<String> response = get(target, "/api/v1/metrics", READ);
        assertEquals(200, response.statusCode());
        return response.body();
    }

    @Test
    void servesTheSnapshotsAsServedOldestFirst() throws Exception {
        String served = snapshot(agent);
        String body = historyOf(agent, 3);
        JsonArray snapshots = array(body);
        assertTrue(snapshots.size() >= 3, body.length() + " bytes: " + snapshots.size() + " snapshots");
        assertTrue(body.startsWith("[") && body.endsWith("]"));
        assertTrue(body.contains(served), "the very bytes /api/v1/metrics served");
        for (int i = 1; i < snapshots.size(); i++) {
            assertTrue(collectedAt(snapshots.get(i)).isAfter(collectedAt(snapshots.get(i - 1))), "oldest first");
        }
    }

    @Test
    void sinceKeepsOnlyWhatWasCollectedStrictlyAfterIt() throws Exception {
        JsonArray all = array(historyOf(agent, 3));
        Instant second = collectedAt(all.get(1));
        String since = new BigDecimal(second.toEpochMilli()).movePointLeft(3).toPlainString();
        JsonArray after = array(get(agent, HISTORY + "?since=" + since, READ).body());
        assertFalse(after.isEmpty());
        assertEquals(collectedAt(all.get(2)), collectedAt(after.get(0)));
        after.forEach(s -> assertTrue(collectedAt(s).isAfter(second)));
        assertEquals("[]", get(agent, HISTORY + "?since=" + (Instant.now().getEpochSecond() + 3600), READ).body());
        assertEquals(array(get(agent, HISTORY, READ).body()).size(),
                array(get(agent, HISTORY + "?since=0", READ).body()).size(), "since=0 is everything (give or take a sample)");
    }

    @Test
    void aSinceThatIsNoNumberOfSecondsIs400() throws Exception {
        for (String query : List.of("since=", "since=-1", "since=soon", "since=1e9", "since=NaN", "since=1&since=2")) {
            HttpResponse<String> response = get(agent, HISTORY + "?" + query, READ);
            assertCleanError(response, 400);
            assertTrue(AgentHttpTest.json(response).getString("message").startsWith("since must")
                    || query.contains("&"), response.body());
        }
    }

    @Test
    void itNeedsTheReadToken() throws Exception {
        HttpResponse<String> none = get(agent, HISTORY, null);
        assertCleanError(none, 401);
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertCleanError(get(agent, HISTORY, "Bearer wrong"), 401);
        assertCleanError(get(agent, HISTORY + "?since=1", "Bearer " + ACTION), 403);
    }

    @Test
    void historyOffAnswersAnEmptyArray() throws Exception {
        try (Agent off = Agent.start(config(Map.of("vigil.agent.history", "0")))) {
            assertEquals("[]", get(off, HISTORY, READ).body());
        }
    }

    @Test
    void theFileCarriesTheHistoryOverARestart(@TempDir Path dir) throws Exception {
        Map<String, String> settings = Map.of("vigil.agent.sample.interval", "500ms",
                "vigil.agent.saved.history.file", dir.resolve("history.jsonl").toString());
        String before;
        try (Agent first = Agent.start(config(settings))) {
            historyOf(first, 2);
            before = snapshot(first);
        }
        try (Agent second = Agent.start(config(settings))) {
            String body = get(second, HISTORY, READ).body();
            assertTrue(body.contains(before), "the first agent's snapshot, byte for byte");
            assertTrue(array(body).size() >= 3, body.length() + " bytes");
        }
    }

    @Test
    void aFileThatCannotBeUsedStopsTheStartNamingTheVariable(@TempDir Path dir) throws Exception {
        Path directory = Files.createDirectory(dir.resolve("not-a-file"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Agent.start(config(Map.of("vigil.agent.saved.history.file", directory.toString()))));
        assertTrue(e.getMessage().startsWith("VIGIL_AGENT_SAVED_HISTORY_FILE " + directory + " cannot be read and written"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
