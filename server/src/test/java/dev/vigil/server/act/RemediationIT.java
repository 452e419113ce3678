package dev.vigil.server.act;

import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.TestSupport;
import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.testing.StandInSystemd;
import dev.vigil.server.LiveAgent;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Detection to recovery with every part real but systemd: a real agent on a test bus with a stand-in systemd,
 * polled by the real server on the real database, with dry run off. A failed unit, a unit whose health probe
 * fails, and a runaway process (a real child process) are each fixed once by the agent, and each incident is
 * resolved by the rules with its recovery time.
 */
class RemediationIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int INTERVAL_SECONDS = 5;
    private static final String HOG = "vigilhog";

    private static JsonValue get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readValue();
    }

    private static List<JsonObject> list(int port, String path) throws Exception {
        return get(port, path).asJsonArray().getValuesAs(JsonObject.class);
    }

    private static final Set<String> IN_FLIGHT = Set.of("approved", "dispatched");

    /** Waits for the first element of the list that matches. */
    private static JsonObject await(int port, String path, Predicate<JsonObject> wanted, String what)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonObject item : list(port, path)) {
                if (wanted.test(item)) {
                    return item;
                }
            }
            Thread.sleep(100);
        }
        return fail(what + " did not happen within 60 s: " + list(port, path));
    }

    private static Process startHog() throws Exception {
        Path python = TestSupport.requireProgram("python3", "python3");
        // names itself (comm) vigilhog, then holds 300 MiB of touched memory until its stdin (ours) closes: a
        // read, not a sleep, which libfaketime breaks in the suite's run with a moved clock (.ci/year-ahead)
        return new ProcessBuilder(python.toString(), "-c", "import ctypes, sys\n"
                + "ctypes.CDLL(None).prctl(15, b'" + HOG + "', 0, 0, 0)\n"
                + "hold = b'\\x01' * (300 << 20)\n"
                + "sys.stdin.read()\n").redirectErrorStream(true).start();
    }

    @Test
    void aFailedUnitAFailingProbeAndARunawayAreEachFixedOnceAndTheirIncidentsResolved() throws Exception {
        Path dir = Files.createDirectories(TestDatabase.testDir("remediation"));
        ServerConfig d = TestDatabase.serverConfig();
        Process hog = startHog();
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())) {
            systemd.setState("nginx.service", "failed", "failed")
                    .onRestart("nginx.service", StandInSystemd.Behaviour.comesUp(Duration.ofMillis(300)))
                    .setState("redis.service", "active", "running");
            HttpServer redisHealth = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            redisHealth.createContext("/health", exchange -> {
                // running and dead inside until someone restarts it
                exchange.sendResponseHeaders(systemd.restartCount("redis.service") > 0 ? 200 : 503, -1);
                exchange.close();
            });
            redisHealth.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            redisHealth.start();
            try (LiveAgent agent = LiveAgent.start(bus.address(), dir.resolve("agent-state"), Map.of(
                    "vigil.agent.allowed.services", "nginx.service,redis.service",
                    "vigil.agent.allow.kill", "true",
                    "vigil.agent.killable.processes", HOG,
                    "vigil.agent.top.processes", "20",
                    "vigil.agent.probes", "redis=http://127.0.0.1:" + redisHealth.getAddress().getPort() + "/health"));
                 VigilServer server = VigilServer.start(d.withDryRun(false))) {
                int port = server.port();
                // every memory reading counts as short, so the biggest killable process above 0.5% is a runaway
                String host = agent.hostJson("web-1", INTERVAL_SECONDS,
                        "{\"memory_kill_available_percent\":\"101\",\"runaway_memory_percent\":\"0.5\"}",
                        "{\"allowed_services\":[\"nginx.service\",\"redis.service\"],"
                                + "\"killable_processes\":[\"" + HOG + "\"]}");
                HttpResponse<String> created = HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:"
                        + port + "/api/v1/hosts")).POST(HttpRequest.BodyPublishers.ofString(host)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());

                for (String key : List.of("service:nginx.service", "probe:redis", "runaway:" + HOG)) {
                    // the unit's event can resolve the incident before the agent's answer to the restart is in
                    JsonObject incident = await(port, "/api/v1/incidents?state=resolved",
                            i -> i.getString("key").equals(key)
                                    && !IN_FLIGHT.contains(i.getString("action_status", "")),
                            "recovery of " + key + " and its action's outcome");
                    assertEquals("succeeded", incident.getString("action_status"), incident.toString());
                    assertFalse(incident.isNull("remediated_at"), incident.toString());
                    double recovery = incident.getJsonNumber("recovery_seconds").doubleValue();
                    assertTrue(recovery > 0 && recovery < 3 * INTERVAL_SECONDS, key + " recovered in " + recovery
                            + " s: " + incident);
                    JsonObject action = get(port, "/api/v1/actions/" + incident.getString("action_id")).asJsonObject();
                    assertEquals(incident.getJsonNumber("id").longValue(), action.getJsonNumber("incident_id")
                            .longValue());
                    assertEquals(List.of("rules:action_proposed", "gate:action_approved", "act:action_dispatched",
                                    "agent:action_succeeded"), action.getJsonArray("trail")
                                    .getValuesAs(JsonObject.class).stream()
                                    .map(step -> step.getString("actor") + ":" + step.getString("event")).toList(),
                            key + ": who decided, the gate's verdict, the dispatch and the outcome, each once");
                }

                assertEquals(1, systemd.restartCount("nginx.service"), systemd.calls().toString());
                assertEquals(1, systemd.restartCount("redis.service"), systemd.calls().toString());
                assertTrue(hog.waitFor(5, TimeUnit.SECONDS), "the runaway was killed");
                assertEquals(143, hog.exitValue(), "it went on TERM");
                Thread.sleep(2_000L * INTERVAL_SECONDS);
                List<JsonObject> actions = list(port, "/api/v1/actions");
                assertEquals(3, actions.size(), "one action per failure, none repeated: " + actions);
                assertEquals(List.of(), list(port, "/api/v1/incidents?state=open"), "nothing is left open");
            } finally {
                redisHealth.stop(0);
            }
        } finally {
            hog.destroyForcibly();
        }
    }
}
