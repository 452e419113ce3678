package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A registered real agent shows its live numbers at /api/v1/hosts/{id}/latest. */
class LatestApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static JsonObject get(VigilServer server, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(TestApi.authorized(
                URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    @Test
    void aRegisteredAgentIsPolledAndItsLatestSnapshotServed() throws Exception {
        try (Agent agent = Agent.start(AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                "vigil.agent.host", "127.0.0.1", "vigil.agent.port", "0", "vigil.agent.token", "read-1")))));
             VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            HttpResponse<String> created = HTTP.send(TestApi.authorized(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hosts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"this-machine\",\"url\":\"http://127.0.0.1:"
                            + agent.port() + "\",\"token\":\"read-1\",\"interval_seconds\":5}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            long id = Json.createReader(new StringReader(created.body())).readObject().getJsonNumber("id").longValue();

            JsonObject latest = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                latest = get(server, "/api/v1/hosts/" + id + "/latest");
                if (!latest.isNull("snapshot")) {
                    break;
                }
                Thread.sleep(200);
            }
            if (latest == null || latest.isNull("snapshot")) {
                fail("no snapshot within 15 s: " + latest);
            }
            assertEquals("up", latest.getString("status"));
            assertEquals("ok", latest.getJsonObject("last_poll").getString("outcome"));
            JsonObject snapshot = latest.getJsonObject("snapshot");
            assertTrue(snapshot.getJsonObject("virtual_memory").getJsonNumber("total").longValue() > 0);
            assertEquals("up", Json.createReader(new StringReader(HTTP.send(TestApi.authorized(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hosts/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body())).readObject().getString("status"));
            assertServerMetrics(server);
        }
    }

    /** /metrics counts the poll and the stored sample, and promtool accepts the text without remarks. */
    private static void assertServerMetrics(VigilServer server) throws Exception {
        String text = "";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !text.contains("\nvigil_samples_written_total 1")) {
            text = HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(200);
        }
        assertTrue(text.contains("\nvigil_samples_written_total 1"), text);
        assertTrue(text.contains("\nvigil_polls_total{outcome=\"ok\"} "), text);
        assertTrue(text.contains("\nvigil_hosts{status=\"up\"} 1\n"), text);
        assertTrue(text.contains("\nvigil_sample_store_latency_seconds_count 1"), text);

        java.nio.file.Path promtool = dev.vigil.agent.TestSupport.requireProgram("promtool", "prometheus");
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = check.getOutputStream()) {
            in.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String verdict = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), verdict);
        assertEquals("", verdict.strip(), "promtool remarks");
    }
}
