package dev.vigil.server.decide;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vigil.rules.model.DiskHealth;
import dev.vigil.rules.model.Host;
import dev.vigil.rules.model.Probe;
import dev.vigil.server.AgentJson;
import dev.vigil.server.model.AgentSnapshot;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FactsTest {
    private static final Instant AT = Instant.parse("2010-06-15T10:00:00Z");
    private static final Host HOST = new Host(1, "web-1", "", Map.of(), Set.of(), Set.of(), false);

    private static Facts facts(JsonObject snapshot) throws AgentSnapshot.BadPayload {
        return Facts.of(HOST, AgentSnapshot.read(snapshot.toString().getBytes(StandardCharsets.UTF_8)), AT);
    }

    @Test
    void theProbesOfTheAnswerAreTheSamplesProbes() throws Exception {
        JsonObject snapshot = AgentJson.withProbes(AgentJson.snapshot(AT, 10, 40, 50, "active"),
                AgentJson.probe("nginx", "http://127.0.0.1/healthz", "HTTP 503", 3),
                AgentJson.probe("redis", "tcp://127.0.0.1:6379", null, 0));
        assertEquals(List.of(new Probe("nginx", "nginx.service", false, 2.1, "HTTP 503", 3),
                new Probe("redis", "redis.service", true, 2.1, null, 0)), facts(snapshot).sample().probes());
    }

    @Test
    void anAgentWithoutProbesReportsNone() throws Exception {
        JsonObject older = Json.createObjectBuilder(AgentJson.snapshot(AT, 10, 40, 50, "active")).remove("probes")
                .build();
        assertEquals(List.of(), facts(older).sample().probes());
        assertEquals(List.of(), facts(AgentJson.snapshot(AT, 10, 40, 50, "active")).sample().probes());
    }

    @Test
    void theSmartHealthOfTheAnswerIsTheSamplesDisksAndAMalformedEntryIsSkipped() throws Exception {
        JsonObject snapshot = Json.createObjectBuilder(AgentJson.snapshot(AT, 10, 40, 50, "active"))
                .add("disk_health", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("device", "/dev/sda").add("passed", false)
                                .add("status", "FAILED"))
                        .add(Json.createObjectBuilder().add("device", "/dev/sdb").add("passed", "yes")
                                .add("status", "PASSED"))
                        .add(Json.createObjectBuilder().add("device", "/dev/nvme0").add("passed", true)
                                .add("status", "PASSED")))
                .build();
        assertEquals(List.of(new DiskHealth("/dev/sda", false, "FAILED"), new DiskHealth("/dev/nvme0", true, "PASSED")),
                facts(snapshot).sample().disks());
        assertEquals(List.of(), facts(AgentJson.snapshot(AT, 10, 40, 50, "active")).sample().disks(),
                "an agent that does not check SMART reports no disks");
    }
}
