package dev.vigil.agent.api;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.Agent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real agent asking a loopback stand-in of an "what is my IP" service. */
class PublicIpHttpTest {
    private static final String READ = "read-token-1";

    /** A stand-in answering {@code answer} with 200, counting the requests. */
    private record WhatIsMyIp(HttpServer server, AtomicInteger asked) implements AutoCloseable {
        static WhatIsMyIp answering(String answer) throws IOException {
            AtomicInteger asked = new AtomicInteger();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                asked.incrementAndGet();
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new WhatIsMyIp(server, asked);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/ip";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static JsonObject snapshot(Agent agent) throws Exception {
        return Json.createReader(new StringReader(AgentHttpTest.get(agent, "/api/v1/metrics", "Bearer " + READ)
                .body())).readObject();
    }

    /** Samples until the snapshot's public_ip is not null, or 10 s. */
    private static JsonObject snapshotWithAddress(Agent agent) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonObject snapshot = snapshot(agent);
        while (snapshot.get("public_ip") == JsonValue.NULL && System.nanoTime() < deadline) {
            Thread.sleep(100);
            snapshot = snapshot(agent);
        }
        return snapshot;
    }

    @Test
    void theAddressIsReportedOnceFoundAndAskedForOncePerInterval() throws Exception {
        try (WhatIsMyIp service = WhatIsMyIp.answering("203.0.113.7\n");
             Agent agent = Agent.start(AgentHttpTest.config(Map.of("vigil.agent.sample.interval", "500ms",
                     "vigil.agent.public.ip.url", service.url())))) {
            JsonObject snapshot = snapshotWithAddress(agent);
            assertEquals("203.0.113.7", snapshot.getString("public_ip"));
            String text = AgentHttpTest.get(agent, "/metrics", "Bearer " + READ).body();
            assertTrue(text.contains("\nvigil_public_ip_info{address=\"203.0.113.7\"} 1\n"), text);
            Thread.sleep(1_500);
            assertEquals(1, service.asked().get(), "one lookup per interval (1 h by default), not one per sample");
        }
    }

    @Test
    void anAnswerThatIsNoAddressIsNotReported() throws Exception {
        try (WhatIsMyIp service = WhatIsMyIp.answering("<html>rate limited</html>");
             Agent agent = Agent.start(AgentHttpTest.config(Map.of("vigil.agent.sample.interval", "500ms",
                     "vigil.agent.public.ip.url", service.url())))) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (service.asked().get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(1_000);
            JsonObject snapshot = snapshot(agent);
            assertEquals(JsonValue.NULL, snapshot.get("public_ip"));
            assertFalse(AgentHttpTest.get(agent, "/metrics", "Bearer " + READ).body().contains("vigil_public_ip_info"));
        }
    }

    @Test
    void withoutTheLookupTheSnapshotHasNoSuchField() throws Exception {
        try (Agent agent = Agent.start(AgentHttpTest.config(Map.of()))) {
            assertFalse(snapshot(agent).containsKey("public_ip"));
        }
    }
}
