package dev.vigil.agent.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.Agent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real agent probing a failing HTTP service and a listening TCP port on loopback. */
class ProbesHttpTest {
    private static final String READ = "read-token-1";

    @Test
    void theProbesAppearInTheSnapshotAndThePrometheusText(@TempDir Path dir) throws Exception {
        HttpServer nginx = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        nginx.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        nginx.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        nginx.start();
        String healthz = "http://127.0.0.1:" + nginx.getAddress().getPort() + "/healthz";
        try (ServerSocket redis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Agent agent = Agent.start(AgentHttpTest.config(Map.of("vigil.agent.sample.interval", "500ms",
                     "vigil.agent.probes", "nginx=" + healthz + ",redis=tcp://127.0.0.1:" + redis.getLocalPort())))) {
            JsonArray probes = probesOnceNginxFailed(agent, 2);
            assertEquals(2, probes.size(), probes.toString());
            JsonObject failing = probes.getJsonObject(0);
            assertEquals(Set.of("name", "unit", "target", "ok", "latency_ms", "error", "consecutive_failures"),
                    failing.keySet());
            assertEquals("nginx", failing.getString("name"));
            assertEquals("nginx.service", failing.getString("unit"));
            assertEquals(healthz, failing.getString("target"));
            assertEquals(JsonValue.FALSE, failing.get("ok"));
            assertEquals("HTTP 503", failing.getString("error"));
            assertTrue(failing.getJsonNumber("latency_ms").doubleValue() > 0);
            JsonObject passing = probes.getJsonObject(1);
            assertEquals("redis.service", passing.getString("unit"));
            assertEquals(JsonValue.TRUE, passing.get("ok"));
            assertEquals(JsonValue.NULL, passing.get("error"));
            assertEquals(0, passing.getInt("consecutive_failures"));

            String text = AgentHttpTest.get(agent, "/metrics", "Bearer " + READ).body();
            assertTrue(text.contains("\nvigil_probe_up{name=\"nginx\"} 0\n"), text);
            assertTrue(text.contains("\nvigil_probe_up{name=\"redis\"} 1\n"), text);
            assertTrue(text.contains("\nvigil_probe_latency_seconds{name=\"redis\"} "), text);
            assertTrue(text.matches("(?s).*\nvigil_probe_consecutive_failures\\{name=\"nginx\"} [1-9]\\d*\n.*"), text);
            AgentHttpTest.assertValidExposition(text, dir);
        } finally {
            nginx.stop(0);
        }
    }

    /** The snapshot's probes once nginx has failed at least {@code failures} times in a row (within 20 s). */
    private static JsonArray probesOnceNginxFailed(Agent agent, int failures) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            HttpResponse<String> response = AgentHttpTest.get(agent, "/api/v1/metrics", "Bearer " + READ);
            JsonArray probes = AgentHttpTest.json(response).getJsonArray("probes");
            boolean done = probes.size() == 2
                    && probes.getJsonObject(0).getInt("consecutive_failures") >= failures;
            if (done || System.nanoTime() > deadline) {
                return probes;
            }
            Thread.sleep(200);
        }
    }
}
