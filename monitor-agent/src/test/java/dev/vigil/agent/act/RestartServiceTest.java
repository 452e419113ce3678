package dev.vigil.agent.act;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.vigil.agent.Agent;
import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.testing.StandInSystemd;
import dev.vigil.agent.testing.StandInSystemd.Behaviour;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.vigil.agent.act.ActionHttp.config;
import static dev.vigil.agent.act.ActionHttp.post;
import static dev.vigil.agent.act.ActionHttp.restart;
import static dev.vigil.agent.act.ActionHttp.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code restart_service} end to end: the real agent over HTTP, a real dbus-daemon, and a stand-in systemd on
 * it that scripts what each restart does.
 */
class RestartServiceTest {
    @TempDir
    Path dir;

    private Agent agent(DbusDaemon bus, String... settings) {
        return agent(bus.address(), settings);
    }

    private Agent agent(String busAddress, String... settings) {
        Map<String, String> extra = new java.util.HashMap<>(Map.of(
                "vigil.agent.allowed.services", "nginx.service,ghost.service",
                "dbus.system.bus.address", busAddress));
        for (int i = 0; i < settings.length; i += 2) {
            extra.put(settings[i], settings[i + 1]);
        }
        return Agent.start(config(dir.resolve("state"), extra));
    }

    @Test
    void aRestartThatComesUpSucceedsAndSaysTheFinalState() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "failed", "failed")
                     .onRestart("nginx.service", Behaviour.comesUp(Duration.ofMillis(300)));
             Agent agent = agent(bus)) {
            UUID id = UUID.randomUUID();
            JsonObject result = result(post(agent, restart(id, "nginx.service")), 200, "succeeded");
            assertEquals(id.toString(), result.getString("id"));
            assertEquals("nginx.service restarted; it is active (running)", result.getString("detail"));
            assertFalse(result.containsKey("replayed"));
            assertEquals(List.of("RestartUnit(nginx.service, replace)"),
                    systemd.calls().stream().filter(c -> c.startsWith("RestartUnit")).toList());
            assertTrue(systemd.calls().indexOf("Subscribe()") < systemd.calls().indexOf(
                    "RestartUnit(nginx.service, replace)"), "subscribed before the job exists: " + systemd.calls());
        }
    }

    @Test
    void aFailedJobIsAFailureWithTheJobResultAndTheUnitState() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "failed", "failed")
                     .onRestart("nginx.service", Behaviour.fails());
             Agent agent = agent(bus)) {
            JsonObject result = result(post(agent, restart(UUID.randomUUID(), "nginx.service")), 200, "failed");
            assertEquals("restart job failed (result \"failed\"); nginx.service is failed (failed)",
                    result.getString("detail"));
            assertEquals(1, systemd.restartCount("nginx.service"));
        }
    }

    @Test
    void aUnitThatNeverComesUpFailsAfterTheRestartTimeout() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "failed", "failed")
                     .onRestart("nginx.service", Behaviour.neverFinishes());
             Agent agent = agent(bus, "vigil.agent.restart.timeout", "1s")) {
            long start = System.nanoTime();
            JsonObject result = result(post(agent, restart(UUID.randomUUID(), "nginx.service")), 200, "failed");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("the restart job did not finish within 1 s; nginx.service is activating (start)",
                    result.getString("detail"));
            assertTrue(millis >= 1000 && millis < 5000, millis + " ms");
        }
    }

    @Test
    void aBusThatDisappearsWhileWaitingIsAFailureSoonAfter() throws Exception {
        DbusDaemon bus = DbusDaemon.start(dir);
        try (StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "failed", "failed")
                     .onRestart("nginx.service", Behaviour.neverFinishes());
             Agent agent = agent(bus)) {
            CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(agent, restart(UUID.randomUUID(), "nginx.service"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (systemd.restartCount("nginx.service") == 0) {
                Thread.sleep(20);
            }
            long closed = System.nanoTime();
            bus.close();
            JsonObject result = result(answer.get(), 200, "failed");
            assertTrue((System.nanoTime() - closed) / 1_000_000 < 5000, "noticed long before the 30 s timeout");
            assertTrue(result.getString("detail").startsWith("systemd cannot be reached on the system bus at "
                    + bus.address() + " ("), result.getString("detail"));
        } finally {
            bus.close();
        }
    }

    @Test
    void noBusOrNoSystemdOnItIsAFailureThatSaysSo() throws Exception {
        String absent = "unix:path=" + dir.resolve("absent");
        try (Agent agent = agent(absent)) {
            JsonObject result = result(post(agent, restart(UUID.randomUUID(), "nginx.service")), 200, "failed");
            assertTrue(result.getString("detail").startsWith("systemd cannot be reached on the system bus at "
                    + absent + " ("), result.getString("detail"));
        }
        try (DbusDaemon bus = DbusDaemon.start(dir); Agent agent = agent(bus)) {
            JsonObject result = result(post(agent, restart(UUID.randomUUID(), "nginx.service")), 200, "failed");
            assertTrue(result.getString("detail").startsWith("systemd cannot be reached on the system bus at "
                    + bus.address() + " ("), result.getString("detail"));
        }
    }

    @Test
    void aUnitSystemdDoesNotKnowFailsWithSystemdsMessage() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address());
             Agent agent = agent(bus)) {
            JsonObject result = result(post(agent, restart(UUID.randomUUID(), "ghost.service")), 200, "failed");
            assertEquals("systemd refused to restart ghost.service: Unit ghost.service not found.",
                    result.getString("detail"));
        }
    }

    @Test
    void aUnitOutsideTheAllowListIsRefusedAndNeverRestarted() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address()).setState("sshd.service", "active", "running");
             Agent agent = agent(bus)) {
            UUID id = UUID.randomUUID();
            JsonObject result = result(post(agent, restart(id, "sshd.service")), 403, "refused");
            assertEquals("sshd.service is not in VIGIL_AGENT_ALLOWED_SERVICES (nginx.service, ghost.service)",
                    result.getString("detail"));
            JsonObject again = result(post(agent, restart(id, "sshd.service")), 403, "refused");
            assertTrue(again.getBoolean("replayed"));
            // the sampler reads the watched (allowed) units; nothing asks systemd about the refused one
            assertEquals(List.of(), systemd.calls().stream().filter(call -> call.contains("sshd")).toList());
        }
    }

    @Test
    void dryRunRestartsNothingAndSaysWhatItWouldDo() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address()).setState("nginx.service", "failed", "failed");
             Agent agent = agent(bus, "vigil.agent.dry.run", "true")) {
            JsonObject result = result(post(agent, restart(UUID.randomUUID(), "nginx.service")), 200, "dry_run");
            assertEquals("would restart nginx.service", result.getString("detail"));
            assertEquals(0, systemd.restartCount("nginx.service"));
            assertEquals(403, post(agent, restart(UUID.randomUUID(), "sshd.service")).statusCode(),
                    "the policy still refuses in dry run");
        }
    }

    @Test
    void theSameIdTwiceRestartsOnceAndAnswersTheFirstResultAgain() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address()).setState("nginx.service", "failed", "failed");
             Agent agent = agent(bus)) {
            UUID id = UUID.randomUUID();
            JsonObject first = result(post(agent, restart(id, "nginx.service")), 200, "succeeded");
            JsonObject second = result(post(agent, restart(id, "nginx.service")), 200, "succeeded");
            assertEquals(first.getString("detail"), second.getString("detail"));
            assertEquals(id.toString(), second.getString("id"));
            assertTrue(second.getBoolean("replayed"));
            assertEquals(1, systemd.restartCount("nginx.service"));
        }
    }

    @Test
    void theSameIdWhileTheFirstIsRunningWaitsForItAndRestartsOnce() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "failed", "failed")
                     .onRestart("nginx.service", Behaviour.comesUp(Duration.ofSeconds(1)));
             Agent agent = agent(bus)) {
            UUID id = UUID.randomUUID();
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> send(agent, id));
            while (systemd.restartCount("nginx.service") == 0) {
                Thread.sleep(20);
            }
            HttpResponse<String> retry = send(agent, id);
            JsonObject firstResult = result(first.get(), 200, "succeeded");
            JsonObject retryResult = result(retry, 200, "succeeded");
            assertEquals(firstResult.getString("detail"), retryResult.getString("detail"));
            assertTrue(retryResult.getBoolean("replayed"));
            assertEquals(1, systemd.restartCount("nginx.service"));
        }
    }

    private static HttpResponse<String> send(Agent agent, UUID id) {
        try {
            return post(agent, restart(id, "nginx.service"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theJournalOutlivesTheAgentSoAnIdIsNeverRunTwice() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address()).setState("nginx.service", "failed", "failed")) {
            UUID id = UUID.randomUUID();
            JsonObject first;
            try (Agent agent = agent(bus)) {
                first = result(post(agent, restart(id, "nginx.service")), 200, "succeeded");
            }
            try (Agent restarted = agent(bus)) {
                JsonObject again = result(post(restarted, restart(id, "nginx.service")), 200, "succeeded");
                assertEquals(first.getString("detail"), again.getString("detail"));
                assertTrue(again.getBoolean("replayed"));
            }
            assertEquals(1, systemd.restartCount("nginx.service"));
        }
    }

    @Test
    void anActionTheAgentDidNotFinishIsAnsweredFailedAndNotRunAgain() throws Exception {
        UUID cutShort = UUID.randomUUID();
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("actions.jsonl"), """
                {"id":"%s","type":"restart_service","target":"nginx.service","started_at":"%s"}
                this line is not JSON
                """.formatted(cutShort, Instant.now().minus(Duration.ofMinutes(1))));
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address()).setState("nginx.service", "failed", "failed");
             Agent agent = agent(bus)) {
            JsonObject result = result(post(agent, restart(cutShort, "nginx.service")), 200, "failed");
            assertEquals("the agent stopped while running this action; it is not run again", result.getString("detail"));
            assertTrue(result.getBoolean("replayed"));
            assertEquals(0, systemd.restartCount("nginx.service"));
        }
        String compacted = Files.readString(state.resolve("actions.jsonl"));
        assertFalse(compacted.contains("not JSON"), compacted);
        assertTrue(compacted.contains("\"status\":\"failed\""), compacted);
    }

    @Test
    void aStateDirectoryTheAgentCannotWriteStopsItWithAMessageNamingTheSetting() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agent.start(config(
                notADirectory.resolve("state"), Map.of())));
        assertTrue(e.getMessage().startsWith("VIGIL_AGENT_STATE_DIR " + notADirectory.resolve("state")),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
