package dev.vigil.server.act;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.testing.StandInSystemd;
import dev.vigil.server.LiveAgent;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerProcess;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.faults.FaultReport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exactly once: the packaged server is killed (SIGKILL) while the agent is in the middle of a restart it asked
 * for; a new server on the same database sends the action again under its id, and the agent, which never ran it
 * twice, answers with the one outcome. systemd saw one RestartUnit.
 */
class ExactlyOnceIT {
    private static final int INTERVAL_SECONDS = 5;

    private static JsonValue get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> response = server.call("GET", path, null);
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readValue();
    }

    private static List<JsonObject> restarts(ServerProcess server) throws Exception {
        return get(server, "/api/v1/actions").asJsonArray().getValuesAs(JsonObject.class);
    }

    @Test
    void aServerKilledWhileAnActionIsInFlightDoesNotMakeTheAgentRunItTwice() throws Exception {
        Path dir = Files.createDirectories(TestDatabase.testDir("exactly-once"));
        Path log = dir.resolve("server.log");
        ServerConfig.ExternalDatabase database = TestDatabase.fresh();
        Map<String, String> settings = Map.of(
                "VIGIL_DB_URL", database.url(), "VIGIL_DB_USER", database.user(),
                "VIGIL_DB_PASSWORD", database.password(), "VIGIL_DATA_DIR", dir.resolve("data").toString(),
                "VIGIL_RULES_DIR", dir.resolve("rules").toString(), "VIGIL_DRY_RUN", "false");
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())) {
            // long enough a restart that the server is gone and back before it ends
            systemd.setState("nginx.service", "failed", "failed")
                    .onRestart("nginx.service", StandInSystemd.Behaviour.comesUp(Duration.ofSeconds(15)));
            try (LiveAgent agent = LiveAgent.start(bus.address(), dir.resolve("agent-state"),
                    Map.of("vigil.agent.allowed.services", "nginx.service"))) {
                // chosen once the agent listens: a port freed earlier could be the one the agent was given
                int port = ServerProcess.freePort();
                ServerProcess first = ServerProcess.start(settings, port, log).awaitReady();
                try {
                    HttpResponse<String> created = first.call("POST", "/api/v1/hosts", agent.hostJson("web-1",
                            INTERVAL_SECONDS, "{}", "{\"allowed_services\":[\"nginx.service\"]}"));
                    assertEquals(201, created.statusCode(), created.body());
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (systemd.restartCount("nginx.service") == 0) {
                        if (System.nanoTime() > deadline) {
                            fail("no restart reached systemd within 30 s: " + Files.readString(log));
                        }
                        Thread.sleep(20);
                    }
                    assertEquals("dispatched", restarts(first).getFirst().getString("status"));
                } finally {
                    first.kill();
                }

                Instant killed = Instant.now();
                ServerProcess second = ServerProcess.start(settings, port, log).awaitReady();
                try {
                    JsonObject action = restarts(second).getFirst();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (!action.getString("status").equals("succeeded") && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        action = restarts(second).getFirst();
                    }
                    assertEquals("succeeded", action.getString("status"), action.toString());
                    Duration completed = Duration.between(killed, Instant.now());
                    assertEquals(2, action.getInt("attempts"), "sent by the first server and again by the second");

                    JsonObject incident = get(second, "/api/v1/incidents/" + action.getJsonNumber("incident_id"))
                            .asJsonObject();
                    deadline = System.nanoTime() + Duration.ofSeconds(3L * INTERVAL_SECONDS).toNanos();
                    while (!incident.getString("state").equals("resolved") && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        incident = get(second, "/api/v1/incidents/" + incident.getInt("id")).asJsonObject();
                    }
                    assertEquals("resolved", incident.getString("state"), "the new server's rules picked it up: "
                            + incident);
                    assertTrue(incident.getJsonNumber("recovery_seconds").doubleValue() > 15, incident.toString());

                    Thread.sleep(2_000L * INTERVAL_SECONDS);
                    assertEquals(1, systemd.restartCount("nginx.service"), systemd.calls().toString());
                    assertEquals(1, restarts(second).size(), "no second action either: " + restarts(second));
                    JsonObject trail = get(second, "/api/v1/actions/" + action.getString("id")).asJsonObject();
                    assertEquals(List.of("rules:action_proposed", "gate:action_approved", "act:action_dispatched",
                                    "agent:action_succeeded"), trail.getJsonArray("trail").getValuesAs(JsonObject.class)
                                    .stream().map(step -> step.getString("actor") + ":" + step.getString("event"))
                                    .toList());
                    assertTrue(Files.readString(log).contains("Resuming 1 actions"), "the second server said so");
                    FaultReport.record("server killed (SIGKILL) and restarted while a restart action is in flight",
                            "kill -9", completed, "the action resumed under its id and ran once (systemd saw one"
                            + " restart); the incident resolved");
                } finally {
                    second.stop();
                }
            }
        }
    }
}
