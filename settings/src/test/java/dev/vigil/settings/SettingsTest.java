package dev.vigil.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration WEEK = Duration.ofDays(7);

    /** The settings under {@code vigil.test}, as environment variables VIGIL_TEST_… would give them. */
    private static Settings settings(String key, String value) {
        return Settings.of(Config.just(ConfigSources.create(Map.of("vigil.test." + key, value)))).under("vigil.test");
    }

    private static Settings yaml(String yaml) {
        return Settings.of(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))).under("vigil.test");
    }

    private static String refusal(org.junit.jupiter.api.function.Executable read) {
        return assertThrows(SettingsException.class, read).getMessage();
    }

    @Test
    void aKeyIsNamedByItsEnvironmentVariable() {
        Settings root = Settings.of(Config.empty());
        assertEquals("VIGIL_AGENT_DRY_RUN", root.under("vigil.agent").variable("dry.run"));
        assertEquals("VIGIL_DRY_RUN", root.under("vigil").variable("dry.run"));
        assertEquals("DBUS_SYSTEM_BUS_ADDRESS", root.under("dbus.system.bus").variable("address"));
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", " True , true", "false, false", "FALSE, false", "fAlSe, false"})
    void booleansAreTrueOrFalseInAnyCase(String value, boolean expected) {
        assertEquals(expected, settings("flag", value).bool("flag", !expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ture", "yes", "no", "1", "0", "on", "off", "t", "truee"})
    void aBooleanRefusesEverythingElse(String value) {
        assertEquals("VIGIL_TEST_FLAG must be true or false, not '" + value + "'",
                refusal(() -> settings("flag", value).bool("flag", false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void anEmptyValueIsUnset(String value) {
        Settings empty = settings("key", value);
        assertTrue(empty.bool("key", true));
        assertEquals(7, empty.integer("key", 7, 1, 9));
        assertEquals(MINUTE, empty.duration("key", MINUTE, Duration.ofSeconds(1), WEEK));
        assertEquals(Optional.empty(), empty.text("key"));
        assertEquals(Optional.empty(), empty.list("key"));
        assertEquals(Path.of("/d"), empty.path("key", Path.of("/d")));
        assertEquals(Optional.empty(), empty.secret("key"));
    }

    @Test
    void aMissingKeyIsUnsetToo() {
        Settings none = Settings.of(Config.empty()).under("vigil.test");
        assertFalse(none.bool("flag", false));
        assertEquals("fallback", none.text("name", "fallback"));
        assertEquals(Optional.empty(), none.path("file"));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "65535, 65535", "+80, 80", "' 8080 ', 8080", "007, 7"})
    void wholeNumbersWithinTheRangeAreRead(String value, int expected) {
        assertEquals(expected, settings("port", value).integer("port", 1, 0, 65535));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "65536", "1.5", "1e3", "0x10", "8080 8081", "٣", "4294967296",
            "999999999999999999999999999999", "-999999999999999999999999999999"})
    void aWholeNumberOutsideItsRangeOrNoNumberIsRefused(String value) {
        assertEquals("VIGIL_TEST_PORT must be a whole number from 0 to 65535, not '" + value + "'",
                refusal(() -> settings("port", value).integer("port", 1, 0, 65535)));
    }

    @Test
    void longNumbersHaveTheirWholeRangeAndDoNotWrap() {
        assertEquals(Long.MAX_VALUE, settings("n", Long.toString(Long.MAX_VALUE)).number("n", 0, 0, Long.MAX_VALUE));
        assertEquals("VIGIL_TEST_N must be a whole number from 0 to 9223372036854775807, not '9223372036854775808'",
                refusal(() -> settings("n", "9223372036854775808").number("n", 0, 0, Long.MAX_VALUE)));
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "2s, PT2S", "10m, PT10M", "8h, PT8H", "7d, PT168H", "2S, PT2S", "500MS, PT0.5S",
            "PT2S, PT2S", "pt2s, PT2S", "P7D, PT168H", "P1DT12H, PT36H", "PT0.5S, PT0.5S", "' 30m ', PT30M"})
    void durationsAreShortFormsOrIso8601(String value, Duration expected) {
        assertEquals(expected, settings("wait", value).duration("wait", MINUTE, Duration.ofMillis(1), WEEK));
    }

    @ParameterizedTest
    @ValueSource(strings = {"often", "2", "2 s", "2sec", "1w", "1.5s", "-2s", "PT-2S", "0s", "P8D", "7d1ms", "P1M",
            "999999999999999999999999999999d", "9223372036854775807d", "PT99999999999999999999S", "s"})
    void aDurationOutsideItsBoundsOrNoDurationIsRefused(String value) {
        assertEquals("VIGIL_TEST_WAIT must be a duration from 1ms to 7d (such as 500ms, 2s, 10m, 8h, 7d, or ISO-8601"
                        + " like PT2S), not '" + value + "'",
                refusal(() -> settings("wait", value).duration("wait", MINUTE, Duration.ofMillis(1), WEEK)));
    }

    @Test
    void boundsAreShownInTheLargestUnitThatFits() {
        assertTrue(refusal(() -> settings("wait", "x").duration("wait", MINUTE, Duration.ofMillis(500),
                Duration.ofMinutes(90))).startsWith("VIGIL_TEST_WAIT must be a duration from 500ms to 90m "));
    }

    @Test
    void aCommaListIsStrippedItems() {
        assertEquals(Optional.of(List.of("nginx.service", "redis.service")),
                settings("units", " nginx.service ,redis.service ").list("units"));
        assertEquals(Optional.of(List.of("a", "b")), yaml("vigil:\n  test:\n    units: [a, ' b ']\n").list("units"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,,b", "a,", ",a", "a, ,b", ","})
    void aCommaListWithAnEmptyItemIsRefused(String value) {
        assertEquals("VIGIL_TEST_UNITS must be a comma list without empty items, not '" + value + "'",
                refusal(() -> settings("units", value).list("units")));
    }

    @Test
    void aYamlListWithAnEmptyItemIsRefusedToo() {
        assertEquals("VIGIL_TEST_UNITS must be a comma list without empty items, not 'a,'",
                refusal(() -> yaml("vigil:\n  test:\n    units: [a, '']\n").list("units")));
    }

    @Test
    void aListOrASectionWhereOneValueBelongsIsRefused() {
        assertEquals("VIGIL_TEST_FLAG must be one value, not a list",
                refusal(() -> yaml("vigil:\n  test:\n    flag: [true]\n").bool("flag", false)));
        assertEquals("VIGIL_TEST_FLAG must be one value, not a section",
                refusal(() -> yaml("vigil:\n  test:\n    flag:\n      x: true\n").bool("flag", false)));
        assertEquals("VIGIL_TEST_UNITS must be a list of values, not of sections",
                refusal(() -> yaml("vigil:\n  test:\n    units:\n      - x: 1\n").list("units")));
    }

    @Test
    void theLayeredSourceReadsTheEnvironmentOverSystemPropertiesOverDefaultsAsHelidonWould() {
        Properties system = new Properties();
        system.setProperty("vigil.test.port", "2");
        system.setProperty("vigil.test.host", "system");
        Settings layered = Settings.of(SettingsSource.layered(
                Map.of("VIGIL_TEST_PORT", "1", "VIGIL_TEST_UNITS", "a, b", "VIGIL_TEST_FLAG_X", "true"), system,
                Map.of("vigil.test.port", "3", "vigil.test.host", "default", "vigil.test.mode", "webhook")))
                .under("vigil.test");
        assertEquals(1, layered.integer("port", 0, 0, 9));
        assertEquals("system", layered.text("host", ""));
        assertEquals(Mode.WEBHOOK, layered.oneOf("mode", Mode.POLLING));
        assertEquals(Optional.of(List.of("a", "b")), layered.list("units"));
        assertEquals("VIGIL_TEST_FLAG must be one value, not a section",
                refusal(() -> layered.bool("flag", false)));
        assertEquals(Optional.empty(), layered.text("missing"));
        assertEquals(Set.of("VIGIL_TEST_PORT", "VIGIL_TEST_HOST", "VIGIL_TEST_MODE", "VIGIL_TEST_UNITS",
                "VIGIL_TEST_FLAG", "VIGIL_TEST_MISSING"), layered.variables());
    }

    @Test
    void variablesThatHelidonWouldNotAliasAreNoKeys() {
        Settings layered = Settings.of(SettingsSource.layered(
                Map.of("_VIGIL_TEST_A", "1", "VIGIL_TEST_B_", "2", "VIGIL__TEST_C", "3"), new Properties(),
                Map.of())).under("vigil.test");
        assertEquals(Optional.empty(), layered.text("a"));
        assertEquals(Optional.empty(), layered.text("b"));
        assertEquals(Optional.empty(), layered.text("c"));
    }

    enum Mode { POLLING, WEBHOOK }

    @Test
    void oneOfTakesTheLowerCaseNamesInAnyCase() {
        assertEquals(Mode.WEBHOOK, settings("mode", "Webhook").oneOf("mode", Mode.POLLING));
        assertEquals(Mode.POLLING, settings("mode", "").oneOf("mode", Mode.POLLING));
        assertEquals("VIGIL_TEST_MODE must be one of polling or webhook, not 'push'",
                refusal(() -> settings("mode", "push").oneOf("mode", Mode.POLLING)));
    }

    @Test
    void textIsStripped() {
        assertEquals(Optional.of("a b"), settings("name", "  a b \n").text("name"));
        assertEquals("a b", settings("name", "  a b \n").text("name", "x"));
    }

    @Test
    void aUrlMustStartWithOneOfItsSchemesAndIsNotShown() {
        assertEquals(Optional.of("jdbc:mariadb://db/vigil"),
                settings("url", "jdbc:mariadb://db/vigil").url("url", "jdbc:mariadb://", "jdbc:mysql://"));
        for (String bad : List.of("postgresql://u:secret@db/x", "jdbc:mariadb://", "jdbc:mariadb:// db")) {
            assertEquals("VIGIL_TEST_URL must be a URL starting with jdbc:mariadb:// or jdbc:mysql://",
                    refusal(() -> settings("url", bad).url("url", "jdbc:mariadb://", "jdbc:mysql://")), bad);
        }
    }

    @Test
    void aRegularExpressionMustCompile() {
        assertEquals("^/x", settings("re", "^/x").pattern("re", "y").pattern());
        assertEquals("y", settings("re", "").pattern("re", "y").pattern());
        assertEquals("VIGIL_TEST_RE must be a regular expression (Unclosed group), not '(a'",
                refusal(() -> settings("re", "(a").pattern("re", "y")));
    }

    @Test
    void aPathIsText() {
        assertEquals(Optional.of(Path.of("/etc/x.pem")), settings("file", " /etc/x.pem ").path("file"));
        assertEquals(Path.of("/etc/x.pem"), settings("file", "/etc/x.pem").path("file", Path.of("/d")));
    }

    @Test
    void aShownValueStaysOnOneLineAndShort() {
        String message = refusal(() -> settings("flag", "tr\nue\u0007" + "x".repeat(200)).bool("flag", false));
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("VIGIL_TEST_FLAG must be true or false, not 'tr\\nue\\u0007xxx"), message);
        assertTrue(message.endsWith("…'"), message);
        assertTrue(message.length() < 150, message);
    }

    @Test
    void aSecretComesFromTheVariableOrFromTheFileItsTwinNames(@TempDir Path dir) throws Exception {
        assertEquals(Optional.of("s3cret"), settings("token", " s3cret ").secret("token"));
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");
        assertEquals(Optional.of("from-file"), settings("token.file", file.toString()).secret("token"));
    }

    @Test
    void aSecretAndItsFileTogetherAreRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "x");
        Settings both = Settings.of(Config.just(ConfigSources.create(Map.of("vigil.test.token", "y",
                "vigil.test.token.file", file.toString())))).under("vigil.test");
        assertEquals("set one of VIGIL_TEST_TOKEN and VIGIL_TEST_TOKEN_FILE, not both",
                refusal(() -> both.secret("token")));
    }

    @Test
    void aSecretFileThatCannotBeUsedIsNamedWithoutItsContent(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals("VIGIL_TEST_TOKEN_FILE: cannot read " + missing + " (no such file)",
                refusal(() -> settings("token.file", missing.toString()).secret("token")));
        Path blank = Files.writeString(dir.resolve("blank"), " \n");
        assertEquals("VIGIL_TEST_TOKEN_FILE: " + blank + " is empty",
                refusal(() -> settings("token.file", blank.toString()).secret("token")));
        Path large = Files.writeString(dir.resolve("large"), "k".repeat(64 * 1024 + 1));
        assertEquals("VIGIL_TEST_TOKEN_FILE: " + large + " is larger than 64 KiB",
                refusal(() -> settings("token.file", large.toString()).secret("token")));
        assertEquals("VIGIL_TEST_TOKEN_FILE: cannot read " + dir + " (a directory)",
                refusal(() -> settings("token.file", dir.toString()).secret("token")));
    }

    @Test
    void aSecretFileWithoutPermissionIsNamed(@TempDir Path dir) throws Exception {
        Path locked = Files.writeString(dir.resolve("locked"), "zq7-never-shown");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "root reads every file");
        String message = refusal(() -> settings("token.file", locked.toString()).secret("token"));
        assertEquals("VIGIL_TEST_TOKEN_FILE: cannot read " + locked + " (permission denied)", message);
    }

    @Test
    void unknownVariablesAreThoseWithThePrefixThatNoReadAskedFor() {
        Settings agent = Settings.of(Config.empty()).under("vigil.agent");
        agent.bool("dry.run", false);
        agent.secret("token");
        Map<String, String> environment = Map.of("VIGIL_AGENT_DRY_RUN", "true", "VIGIL_AGENT_DRYRUN", "true",
                "VIGIL_AGENT_TOKEN_FILE", "/run/secrets/t", "VIGIL_AGENT_JVM_OPTS", "-Xmx48m",
                "VIGIL_DRY_RUN", "true", "VIGIL_AGENT_ZZ", "x", "PATH", "/bin");
        assertEquals(List.of("VIGIL_AGENT_DRYRUN", "VIGIL_AGENT_ZZ"),
                agent.unknownVariables(environment, "VIGIL_AGENT_", Set.of("VIGIL_AGENT_JVM_OPTS")));
    }

    @Test
    void theVariablesOfEveryKeyReadAreKnown() {
        Settings root = Settings.of(Config.empty());
        root.under("vigil.agent").secret("action.token");
        root.under("dbus.system.bus").text("address");
        assertEquals(List.of("DBUS_SYSTEM_BUS_ADDRESS", "VIGIL_AGENT_ACTION_TOKEN", "VIGIL_AGENT_ACTION_TOKEN_FILE"),
                List.copyOf(root.variables()));
    }

    @Test
    void otherComponentsPrefixesAreNotUnknown() {
        Settings server = Settings.of(Config.empty()).under("vigil");
        server.bool("dry.run", true);
        Map<String, String> environment = Map.of("VIGIL_DRY_RUN", "true", "VIGIL_DRYRUN", "true",
                "VIGIL_AGENT_TOKEN", "t", "VIGIL_TELEGRAM_TOKEN", "t");
        assertEquals(List.of("VIGIL_DRYRUN"),
                server.unknownVariables(environment, "VIGIL_", Set.of("VIGIL_AGENT_", "VIGIL_TELEGRAM_")));
    }
}
