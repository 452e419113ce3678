package dev.vigil.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.vigil.settings.Settings;
import dev.vigil.settings.testing.StrictSettingsChecks;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's settings are read strictly: what cannot be read stops the start, naming the variable. */
class AgentConfigTest {
    private static final StrictSettingsChecks CHECKS = new StrictSettingsChecks(
            Config.just(ConfigSources.classpath(Main.DEFAULTS)), "vigil.agent", Map.of("vigil.agent.token", "t"),
            AgentConfigTest::config);

    private static AgentConfig config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("vigil.agent.token", "t"));
        settings.putAll(extra);
        return AgentConfig.from(Config.just(ConfigSources.create(settings)));
    }

    private static String refusal(String key, String value) {
        return CHECKS.refusal(key, value);
    }

    @Test
    void aDryRunThatCannotBeReadStopsTheStartNamingTheVariable() {
        assertEquals("VIGIL_AGENT_DRY_RUN must be true or false, not 'ture'", refusal("vigil.agent.dry.run", "ture"));
    }

    @Test
    void everyBooleanRefusesAnythingButTrueOrFalse() {
        CHECKS.everyBooleanRefuses(List.of("ture", "yes", "1", "on", "enabled"));
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseAndAnEmptyValueIsTheDefault() {
        assertTrue(config(Map.of("vigil.agent.dry.run", " TRUE ")).dryRun());
        assertFalse(config(Map.of("vigil.agent.dry.run", "False")).dryRun());
        assertFalse(config(Map.of("vigil.agent.dry.run", "")).dryRun());
        assertTrue(config(Map.of("vigil.agent.allow.kill", "true", "vigil.agent.allow.reboot", "true"))
                .allowReboot());
    }

    @Test
    void everyNumberRefusesWordsFractionsAndHugeValues() {
        CHECKS.everyNumberRefuses(List.of("abc", "1.5", "1e3", "0x10", "999999999999999999999999999999"));
    }

    @Test
    void everyDurationRefusesWhatIsNoDurationAndWhatOverflows() {
        CHECKS.everyDurationRefuses(List.of("often", "2 s", "-2s", "0s", "999999999999999999999999999999d",
                "PT99999999999999999999S", "10x"));
    }

    @Test
    void numbersAndDurationsMustBeWithinTheirRange() {
        assertEquals("VIGIL_AGENT_PORT must be a whole number from 0 to 65535, not '65536'",
                refusal("vigil.agent.port", "65536"));
        assertEquals("VIGIL_AGENT_TOP_PROCESSES must be a whole number from 1 to 100, not '0'",
                refusal("vigil.agent.top.processes", "0"));
        assertTrue(refusal("vigil.agent.sample.interval", "499ms")
                .startsWith("VIGIL_AGENT_SAMPLE_INTERVAL must be a duration from 500ms to 1h "));
        assertTrue(refusal("vigil.agent.kill.grace", "11m").startsWith("VIGIL_AGENT_KILL_GRACE must be a duration"));
        AgentConfig edges = config(Map.of("vigil.agent.port", "65535", "vigil.agent.top.processes", "100",
                "vigil.agent.sample.interval", "PT1H", "vigil.agent.restart.timeout", "1s"));
        assertEquals(65535, edges.port());
        assertEquals(100, edges.topProcesses());
        assertEquals(Duration.ofHours(1), edges.sampleInterval());
        assertEquals(Duration.ofSeconds(1), edges.restartTimeout());
    }

    @Test
    void historyIsADurationUpTo7DaysWhereZeroTurnsItOff() {
        assertEquals(Duration.ofHours(1), config(Map.of()).history());
        assertEquals(Optional.empty(), config(Map.of()).historyFile());
        assertEquals(Duration.ZERO, config(Map.of("vigil.agent.history", "0")).history());
        assertEquals(Duration.ZERO, config(Map.of("vigil.agent.history", "0s")).history());
        assertEquals(Duration.ofDays(7), config(Map.of("vigil.agent.history", "7d")).history());
        for (String bad : List.of("often", "-1h", "8d", "1 h")) {
            assertEquals("VIGIL_AGENT_HISTORY must be a duration from 0d to 7d (such as 500ms, 2s, 10m, 8h, 7d, or"
                    + " ISO-8601 like PT2S), not '" + bad + "'", refusal("vigil.agent.history", bad));
        }
        assertEquals("VIGIL_AGENT_SAVED_HISTORY_FILE is set while VIGIL_AGENT_HISTORY is 0 (off): there is no history to"
                + " keep in it; unset one of them", historyFileRefusal("vigil.agent.saved.history.file", "/tmp/h.jsonl"));
    }

    private static String historyFileRefusal(String key, String value) {
        return assertThrows(IllegalArgumentException.class,
                () -> config(Map.of(key, value, "vigil.agent.history", "0"))).getMessage();
    }

    @Test
    void theBundledDefaultsAreTheDefaultsOfTheCode() {
        AgentConfig bundled = AgentConfig.from(Config.just(ConfigSources.create(Map.of("vigil.agent.token", "t")),
                ConfigSources.classpath(Main.DEFAULTS)));
        assertEquals(config(Map.of()).toString(), bundled.toString());
    }

    @Test
    void aCommaListWithAnEmptyItemIsRefused() {
        assertEquals(List.of("nginx.service", "redis.service"),
                config(Map.of("vigil.agent.allowed.services", " nginx.service , redis.service ")).allowedServices());
        assertEquals("VIGIL_AGENT_ALLOWED_SERVICES must be a comma list without empty items, not"
                + " 'nginx.service,,redis.service'", refusal("vigil.agent.allowed.services", "nginx.service,,redis.service"));
        assertEquals("VIGIL_AGENT_KILLABLE_PROCESSES must be a comma list without empty items, not 'python3,'",
                refusal("vigil.agent.killable.processes", "python3,"));
    }

    @Test
    void includedMountpointsAreAbsoluteWithoutATrailingSlash() {
        assertEquals(Set.of("/", "/data"),
                config(Map.of("vigil.agent.filesystems.include.mountpoints", "/, /data")).includeMountpoints());
        assertEquals(Set.of(), config(Map.of()).includeMountpoints());
        assertEquals("VIGIL_AGENT_FILESYSTEMS_INCLUDE_MOUNTPOINTS entry 'data' is not an absolute mountpoint without a"
                + " trailing slash, such as / or /data", refusal("vigil.agent.filesystems.include.mountpoints", "data"));
        assertEquals("VIGIL_AGENT_FILESYSTEMS_INCLUDE_MOUNTPOINTS entry '/data/' is not an absolute mountpoint without"
                + " a trailing slash, such as / or /data", refusal("vigil.agent.filesystems.include.mountpoints",
                "/,/data/"));
    }

    @Test
    void thePublicIpLookupIsOffUnlessAnHttpUrlIsGiven() {
        assertEquals(Optional.empty(), config(Map.of()).publicIp());
        AgentConfig.PublicIp lookup = config(Map.of("vigil.agent.public.ip.url", "https://api.ipify.org",
                "vigil.agent.public.ip.interval", "15m")).publicIp().orElseThrow();
        assertEquals("https://api.ipify.org", lookup.url().toString());
        assertEquals(java.time.Duration.ofMinutes(15), lookup.interval());
        assertEquals("VIGIL_AGENT_PUBLIC_IP_URL must be a URL starting with http:// or https://",
                refusal("vigil.agent.public.ip.url", "ftp://example.com"));
        assertTrue(refusal("vigil.agent.public.ip.url", "http://[bad").startsWith("VIGIL_AGENT_PUBLIC_IP_URL is not a URL"));
    }

    @Test
    void anEmptyWatchListMeansUnsetTheAllowedUnits() {
        AgentConfig c = config(Map.of("vigil.agent.allowed.services", "nginx.service",
                "vigil.agent.watch.services", " "));
        assertEquals(List.of("nginx.service"), c.watchServices());
    }

    @Test
    void tokensCanComeFromFilesWithoutTheirTrailingNewline(@TempDir Path dir) throws Exception {
        Path read = Files.writeString(dir.resolve("read"), "read-secret\n");
        Path action = Files.writeString(dir.resolve("action"), "action-secret\r\n");
        AgentConfig c = AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                "vigil.agent.token.file", read.toString(), "vigil.agent.action.token.file", action.toString()))));
        assertEquals("read-secret", c.readToken());
        assertEquals(Optional.of("action-secret"), c.actionToken());
    }

    @Test
    void aTokenAndItsFileTogetherAreRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("action"), "a\n");
        assertEquals("set one of VIGIL_AGENT_ACTION_TOKEN and VIGIL_AGENT_ACTION_TOKEN_FILE, not both",
                assertThrows(IllegalArgumentException.class, () -> config(Map.of("vigil.agent.action.token", "a",
                        "vigil.agent.action.token.file", file.toString()))).getMessage());
    }

    @Test
    void aTokenFileThatCannotBeReadIsRefusedWithoutShowingItsContent(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals("VIGIL_AGENT_TOKEN_FILE: cannot read " + missing + " (no such file)",
                refusalOfTokenFile(missing));
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals("VIGIL_AGENT_TOKEN_FILE: " + empty + " is empty", refusalOfTokenFile(empty));
        Path binary = Files.write(dir.resolve("binary"), new byte[] {'z', 'q', '7', (byte) 0xff, '\n'});
        String notText = refusalOfTokenFile(binary);
        assertEquals("VIGIL_AGENT_TOKEN_FILE: cannot read " + binary + " (not UTF-8 text)", notText);
        assertFalse(notText.contains("zq7"), notText);
        assertEquals("VIGIL_AGENT_TOKEN_FILE: cannot read " + dir + " (a directory)", refusalOfTokenFile(dir));
    }

    private static String refusalOfTokenFile(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> AgentConfig.from(Config.just(
                ConfigSources.create(Map.of("vigil.agent.token.file", file.toString()))))).getMessage();
    }

    @Test
    void unknownVariablesAreTheAgentsOnesThatNoSettingReads() {
        Settings settings = Settings.of(Config.just(ConfigSources.create(Map.of("vigil.agent.token", "t"))));
        AgentConfig.from(settings);
        Map<String, String> environment = Map.of("VIGIL_AGENT_DRYRUN", "true", "VIGIL_AGENT_DRY_RUN", "true",
                "VIGIL_AGENT_SMART_COMMAND", "smartctl", "VIGIL_AGENT_ACTION_TOKEN_FILE", "/run/secrets/a",
                "VIGIL_AGENT_JVM_OPTS", "-Xmx48m", "VIGIL_AGENT_JAR", "/opt/vigil-agent/vigil-agent.jar",
                "VIGIL_DRY_RUN", "true", "VIGIL_AGENT_TOKENS", "t", "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/x");
        assertEquals(List.of("VIGIL_AGENT_DRYRUN", "VIGIL_AGENT_TOKENS"),
                AgentConfig.unknownVariables(settings, environment));
    }

    @Test
    void everySettingReadIsInTheHelpAndInTheDocs() throws Exception {
        Settings settings = Settings.of(Config.just(ConfigSources.create(Map.of("vigil.agent.token", "t"))));
        AgentConfig.from(settings);
        String variable = "(VIGIL_AGENT|DBUS)_[A-Z_]*[A-Z]";
        assertEquals(settings.variables(), StrictSettingsChecks.variablesIn(Main.HELP, variable),
                "--help lists exactly the settings");
        Set<String> undocumented = new TreeSet<>(settings.variables());
        undocumented.removeAll(StrictSettingsChecks.variablesIn(Files.readString(Path.of("../docs/agent.md")), variable));
        assertEquals(Set.of(), undocumented, "settings missing in docs/agent.md");
    }
}
