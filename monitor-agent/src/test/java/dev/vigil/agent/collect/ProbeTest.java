package dev.vigil.agent.collect;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.agent.AgentConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeTest {
    private static AgentConfig config(String... keysAndValues) {
        Map<String, String> settings = new HashMap<>(Map.of("vigil.agent.token", "t"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return AgentConfig.from(Config.just(ConfigSources.create(settings)));
    }

    @ParameterizedTest
    @CsvSource({
            "nginx, nginx.service",
            "redis-server.service, redis-server.service",
            "docker.socket, docker.socket",
            "getty@tty1.service, getty@tty1.service",
            "api.v2, api.v2.service"})
    void aProbeVouchesForTheUnitItNamesOrItsService(String name, String unit) {
        assertEquals(unit, Probe.parse(name + "=tcp://127.0.0.1:80").unit());
    }

    @Test
    void theSettingIsACommaListOfNameEqualsTarget() {
        AgentConfig c = config("vigil.agent.probes", "nginx=http://127.0.0.1/healthz, redis=tcp://127.0.0.1:6379");
        assertEquals(List.of(new Probe("nginx", "nginx.service", URI.create("http://127.0.0.1/healthz")),
                new Probe("redis", "redis.service", URI.create("tcp://127.0.0.1:6379"))), c.probes());
        assertTrue(c.probes().get(0).http());
        assertEquals(Duration.ofSeconds(2), c.probeTimeout());
        assertEquals(List.of(), config().probes());
        assertEquals(Duration.ofMillis(750), config("vigil.agent.probe.timeout", "750ms").probeTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx=", "=http://127.0.0.1/", "nginx=ftp://127.0.0.1/", "nginx=127.0.0.1:80",
            "redis=tcp://127.0.0.1", "redis=tcp://127.0.0.1:6379/db", "nginx=http:///healthz", "my probe=tcp://a:1",
            "nginx=http://exa mple/"})
    void aBadEntryStopsTheAgentWithOneLineNamingIt(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("vigil.agent.probes", "ok=tcp://127.0.0.1:1," + entry));
        assertTrue(e.getMessage().startsWith("VIGIL_AGENT_PROBES entry '" + entry + "': "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aNameGivenTwiceOrANoTimeoutIsRefused() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> config(
                "vigil.agent.probes", "nginx=tcp://127.0.0.1:80,nginx=http://127.0.0.1/"));
        assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> config("vigil.agent.probe.timeout", "0s"));
        assertTrue(zero.getMessage().startsWith("VIGIL_AGENT_PROBE_TIMEOUT"), zero.getMessage());
    }
}
