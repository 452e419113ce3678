package dev.vigil.agent.api;

import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import dev.vigil.agent.Agent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health/ready says how each part of a real agent is, to the read token only. */
class HealthHttpTest {
    private static final String READ = "Bearer read-token-1";

    private static JsonObject components(Agent agent) throws Exception {
        var response = AgentHttpTest.get(agent, "/health/ready", READ);
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
        assertEquals("UP", body.getString("status"), "a degraded part does not make the agent unready");
        return body.getJsonObject("components");
    }

    @Test
    void withoutATokenReadinessSaysNothingMoreAndAWrongTokenIsRefused(@TempDir Path dir) throws Exception {
        try (Agent agent = Agent.start(AgentHttpTest.config(Map.of("vigil.agent.action.token", "action-token-1",
                "vigil.agent.state.dir", dir.toString())))) {
            assertEquals("{\"status\":\"UP\"}", AgentHttpTest.get(agent, "/health/ready", null).body());
            assertEquals(401, AgentHttpTest.get(agent, "/health/ready", "Bearer wrong").statusCode());
            assertEquals(401, AgentHttpTest.get(agent, "/health/ready", "Bearer action-token-1").statusCode());
            JsonObject components = components(agent);
            assertEquals("ok", components.getJsonObject("sampler").getString("status"));
            assertEquals("ok", components.getJsonObject("journal").getString("status"));
            assertEquals(2, components.size(), "no D-Bus or probes part when none is configured: " + components);
        }
    }

    @Test
    void anUnreachableSystemdAndAFailingProbeAreDegradedWithWhy() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (Agent agent = Agent.start(AgentHttpTest.config(Map.of("vigil.agent.sample.interval", "500ms",
                "vigil.agent.watch.services", "nginx.service",
                "dbus.system.bus.address", "unix:path=/nonexistent/vigil-test-bus",
                "vigil.agent.probes", "cache=tcp://127.0.0.1:" + closed)))) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            JsonObject components = components(agent);
            while (!(components.getJsonObject("probes").getString("status").equals("degraded")
                    && components.getJsonObject("dbus").getString("status").equals("degraded"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                components = components(agent);
            }
            JsonObject dbus = components.getJsonObject("dbus");
            assertEquals("degraded", dbus.getString("status"), components.toString());
            assertTrue(dbus.getString("reason").startsWith("systemd cannot be reached on the system bus at"
                    + " unix:path=/nonexistent/vigil-test-bus"), dbus.toString());
            JsonObject probes = components.getJsonObject("probes");
            assertEquals("degraded", probes.getString("status"), components.toString());
            assertTrue(probes.getString("reason").startsWith("failing: cache ("), probes.toString());
            assertEquals("ok", components.getJsonObject("sampler").getString("status"));
        }
    }
}
