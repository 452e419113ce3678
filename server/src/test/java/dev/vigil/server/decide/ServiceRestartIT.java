package dev.vigil.server.decide;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.AgentJson;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server end to end with dry run off: an agent reports its watched nginx failed; the rules propose a restart,
 * the gate approves it and the act stage sends it to the agent within a poll interval, where it brings nginx back;
 * the 4th failure inside 15 minutes is suppressed, and a critical incident says so.
 */
class ServiceRestartIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int INTERVAL_SECONDS = 5;

    /**
     * An agent whose nginx is in the state the test sets; it counts the polls it answered, and a restart it is
     * sent (with the action token) brings nginx back.
     */
    private static final class ScriptedAgent implements AutoCloseable {
        final AtomicReference<String> nginx = new AtomicReference<>("active");
        final AtomicInteger polls = new AtomicInteger();
        final List<String> restartIds = new CopyOnWriteArrayList<>();
        final HttpServer server;

        ScriptedAgent() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/api/v1/metrics", exchange -> {
                byte[] body = AgentJson.snapshot(Instant.now(), 10, 40, 50, nginx.get()).toString()
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
                polls.incrementAndGet();
            });
            server.createContext("/api/v1/actions", exchange -> {
                JsonObject action = Json.createReader(exchange.getRequestBody()).readObject();
                boolean authorized = "Bearer act".equals(exchange.getRequestHeaders().getFirst("Authorization"));
                if (authorized) {
                    restartIds.add(action.getString("id"));
                    nginx.set("active");
                }
                byte[] body = (authorized ? "{\"status\":\"succeeded\",\"detail\":\"nginx.service is active (running)\"}"
                        : "{\"error\":\"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        /** Sets the state, then waits until a poll has seen it. */
        void report(String state) throws InterruptedException {
            nginx.set(state);
            int seen = polls.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(3L * INTERVAL_SECONDS).toNanos();
            while (polls.get() <= seen) {
                if (System.nanoTime() > deadline) {
                    fail("the server did not poll the agent within 3 intervals");
                }
                Thread.sleep(50);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonArray array(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    private static List<JsonObject> restarts(int port) throws Exception {
        return array(call(port, "GET", "/api/v1/actions", null)).getValuesAs(JsonObject.class).stream()
                .filter(a -> a.getString("type").equals("restart_service")).toList();
    }

    private static long settledRestarts(int port) throws Exception {
        return restarts(port).stream().filter(a -> !a.getString("status").equals("approved")
                && !a.getString("status").equals("dispatched")).count();
    }

    /** The rules see nginx running again: the incident the restart addressed is resolved with its recovery time. */
    private static void awaitRecovered(int port, long incidentId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2L * INTERVAL_SECONDS).toNanos();
        JsonObject incident;
        do {
            Thread.sleep(50);
            incident = Json.createReader(new StringReader(call(port, "GET", "/api/v1/incidents/" + incidentId, null)
                    .body())).readObject();
        } while (!incident.getString("state").equals("resolved") && System.nanoTime() < deadline);
        assertEquals("resolved", incident.getString("state"), incident.toString());
        assertEquals("succeeded", incident.getString("action_status"));
        assertTrue(incident.getJsonNumber("recovery_seconds").doubleValue() > 0, incident.toString());
        assertTrue(incident.getJsonNumber("recovery_seconds").doubleValue() < 3 * INTERVAL_SECONDS, incident.toString());
    }

    @Test
    void aFailedServiceIsRestartedWithinAnIntervalAndTheFourthFailureIsSuppressed() throws Exception {
        ServerConfig defaults = TestDatabase.serverConfig();
        ServerConfig liveConfig = defaults.withDryRun(false);
        try (ScriptedAgent agent = new ScriptedAgent(); VigilServer server = VigilServer.start(liveConfig)) {
            int port = server.port();
            HttpResponse<String> created = call(port, "POST", "/api/v1/hosts", "{\"name\":\"web-1\",\"url\":"
                    + "\"http://127.0.0.1:" + agent.server.getAddress().getPort() + "\",\"token\":\"t\",\"action_token\":\"act\","
                    + "\"interval_seconds\":" + INTERVAL_SECONDS + ",\"policy\":{\"allowed_services\":"
                    + "[\"nginx.service\"]}}");
            assertEquals(201, created.statusCode(), created.body());
            agent.report("active");

            for (int failure = 1; failure <= 4; failure++) {
                agent.report("failed");
                Instant reported = Instant.now();
                long deadline = System.nanoTime() + Duration.ofSeconds(INTERVAL_SECONDS).toNanos();
                while (settledRestarts(port) < failure && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<JsonObject> restarts = restarts(port);
                assertEquals(failure, restarts.size(), "failure " + failure + ": a restart within one interval of "
                        + reported + ": " + restarts);
                JsonObject newest = restarts.getFirst();
                assertEquals("nginx.service", newest.getString("target"));
                assertEquals(failure <= 3 ? "succeeded" : "suppressed", newest.getString("status"), newest.toString());
                assertEquals(Math.min(failure, 3), agent.restartIds.size(), "each approved restart sent once");
                if (failure < 4) {
                    assertEquals(newest.getString("id"), agent.restartIds.getLast());
                    agent.report("active");
                    awaitRecovered(port, newest.getJsonNumber("incident_id").longValue());
                } else {
                    agent.report("failed");
                }
            }
            JsonObject suppressed = array(call(port, "GET", "/api/v1/incidents?state=open", null))
                    .getValuesAs(JsonObject.class).stream()
                    .filter(i -> i.getString("kind").equals("remediation-suppressed")).findFirst()
                    .orElseThrow(() -> new AssertionError("no incident about the suppressed restart"));
            assertEquals("critical", suppressed.getString("severity"));
            assertTrue(suppressed.getString("message").contains("automatic restart of nginx.service suppressed"),
                    suppressed.toString());
            assertTrue(array(call(port, "GET", "/api/v1/incidents?state=open", null)).getValuesAs(JsonObject.class)
                    .stream().anyMatch(i -> i.getString("key").equals("service:nginx.service")),
                    "the failed service is an open incident itself");
        }
    }
}
