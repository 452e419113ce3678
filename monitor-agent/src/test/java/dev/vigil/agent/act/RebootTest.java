package dev.vigil.agent.act;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vigil.agent.Agent;
import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.testing.StandInLogind;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.vigil.agent.act.ActionHttp.config;
import static dev.vigil.agent.act.ActionHttp.post;
import static dev.vigil.agent.act.ActionHttp.reboot;
import static dev.vigil.agent.act.ActionHttp.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code reboot} end to end, with a stand-in logind on a real dbus-daemon. */
class RebootTest {
    @TempDir
    Path dir;

    private Agent agent(DbusDaemon bus, boolean allowReboot) {
        return Agent.start(config(dir.resolve("state"), Map.of(
                "vigil.agent.allow.reboot", String.valueOf(allowReboot),
                "dbus.system.bus.address", bus.address())));
    }

    @Test
    void aRebootIsRefusedUnlessAllowed() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInLogind logind = StandInLogind.export(bus.address());
             Agent agent = agent(bus, false)) {
            JsonObject result = result(post(agent, reboot(UUID.randomUUID())), 403, "refused");
            assertEquals("reboots are not allowed on this agent: VIGIL_AGENT_ALLOW_REBOOT is false",
                    result.getString("detail"));
            Thread.sleep(LogindReboot.DELAY.toMillis() + 500);
            assertEquals(List.of(), logind.calls());
        }
    }

    @Test
    void anAllowedRebootIsAnsweredFirstAndThenRequestedFromLogindOnce() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInLogind logind = StandInLogind.export(bus.address());
             Agent agent = agent(bus, true)) {
            UUID id = UUID.randomUUID();
            JsonObject result = result(post(agent, reboot(id)), 200, "succeeded");
            assertEquals("reboot requested from logind", result.getString("detail"));
            assertEquals(List.of(), logind.calls(), "the answer goes out before logind is asked");

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (logind.calls().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of("Reboot(false)"), logind.calls());

            result(post(agent, reboot(id)), 200, "succeeded");
            Thread.sleep(LogindReboot.DELAY.toMillis() + 500);
            assertEquals(List.of("Reboot(false)"), logind.calls(), "a repeated id reboots nothing");
        }
    }
}
