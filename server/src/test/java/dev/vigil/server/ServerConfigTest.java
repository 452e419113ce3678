package dev.vigil.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's settings are read strictly: what cannot be read stops the start, naming the variable. */
class ServerConfigTest {
    private static final Config BUNDLED = Config.just(ConfigSources.classpath("application.yaml"));
    private static final StrictSettingsChecks CHECKS = new StrictSettingsChecks(BUNDLED, "vigil", Map.of(),
            ServerConfigTest::config);

    private static ServerConfig config(Map<String, String> settings) {
        return ServerConfig.from(Config.just(ConfigSources.create(settings)));
    }

    private static String refusal(String key, String value) {
        return CHECKS.refusal(key, value);
    }

    @Test
    void aDryRunThatCannotBeReadStopsTheStartNamingTheVariable() {
        assertEquals("VIGIL_DRY_RUN must be true or false, not 'ture'", refusal("vigil.dry.run", "ture"));
        assertEquals("VIGIL_DRY_RUN must be true or false, not 'off'", refusal("vigil.dry.run", "off"));
    }

    @Test
    void aPortThatIsNoNumberIsOneLineNamingTheVariable() {
        assertEquals("VIGIL_SERVER_PORT must be a whole number from 0 to 65535, not 'abc'",
                refusal("vigil.server.port", "abc"));
    }

    @Test
    void everyBooleanRefusesAnythingButTrueOrFalse() {
        CHECKS.everyBooleanRefuses(List.of("ture", "yes", "0", "on", "disabled"));
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseAndAnEmptyValueIsTheDefault() {
        assertFalse(config(Map.of("vigil.dry.run", "FALSE")).dryRun());
        assertTrue(config(Map.of("vigil.dry.run", " true ")).dryRun());
        assertTrue(config(Map.of("vigil.dry.run", "")).dryRun(), "an empty value is unset: the safe default");
        assertTrue(config(Map.of("vigil.metrics.open", "True")).security().metricsOpen());
        assertTrue(config(Map.of()).agentEvents(), "agents' event streams are followed unless turned off");
        assertFalse(config(Map.of("vigil.agents.events", "false")).agentEvents());
        assertEquals("VIGIL_AGENTS_EVENTS must be true or false, not 'off'", refusal("vigil.agents.events", "off"));
    }

    @Test
    void everyNumberRefusesWordsFractionsAndHugeValues() {
        CHECKS.everyNumberRefuses(List.of("abc", "14.0", "1e3", "999999999999999999999999999999"));
    }

    @Test
    void everyDurationRefusesWhatIsNoDurationAndWhatOverflows() {
        CHECKS.everyDurationRefuses(List.of("soon", "8 h", "-1h", "0s", "999999999999999999999999999999d",
                "P99999999999999999999D"));
    }

    @Test
    void numbersAndDurationsMustBeWithinTheirRange() {
        assertEquals("VIGIL_RETENTION_DAYS must be a whole number from 1 to 90, not '91'",
                refusal("vigil.retention.days", "91"));
        assertEquals("VIGIL_RETENTION_DAYS must be a whole number from 1 to 90, not '0'",
                refusal("vigil.retention.days", "0"));
        assertEquals("VIGIL_BCRYPT_COST must be a whole number from 4 to 31, not '32'",
                refusal("vigil.bcrypt.cost", "32"));
        assertEquals("VIGIL_SERVER_PORT must be a whole number from 0 to 65535, not '-1'",
                refusal("vigil.server.port", "-1"));
        ServerConfig set = config(Map.of("vigil.retention.days", "90", "vigil.session.idle", "30m",
                "vigil.session.lifetime", "P30D", "vigil.bcrypt.cost", "31"));
        assertEquals(90, set.retentionDays());
        assertEquals(Duration.ofMinutes(30), set.security().sessionIdle());
        assertEquals(Duration.ofDays(30), set.security().sessionLifetime());
        assertEquals(31, set.security().bcryptCost());
    }

    @Test
    void theBundledDefaultsAreTheDefaultsOfTheCode() {
        assertEquals(config(Map.of()), ServerConfig.from(BUNDLED));
        assertEquals("0.0.0.0", ServerConfig.from(BUNDLED).host(), "DESIGN §3.3: every interface, as a container needs");
    }

    @Test
    void theSecretKeyMustBeBase64Of32BytesAndIsNeverShown() {
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertEquals("VIGIL_SECRET_KEY must be base64 of 32 bytes (make one with: openssl rand -base64 32)",
                refusal("vigil.secret.key", sixteenBytes));
        String notBase64 = refusal("vigil.secret.key", "not base64 at all!");
        assertEquals("VIGIL_SECRET_KEY must be base64 of 32 bytes (make one with: openssl rand -base64 32)",
                notBase64);
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        assertEquals(Optional.of(key), config(Map.of("vigil.secret.key", key)).secretKey());
    }

    @Test
    void theDatabaseUrlMustBeAMariaDbUrlAndIsNeverShown() {
        String message = refusal("vigil.db.url", "postgresql://db/vigil?password=hunter2");
        assertEquals("VIGIL_DB_URL must be a URL starting with jdbc:mariadb:// or jdbc:mysql://", message);
        ServerConfig external = config(Map.of("vigil.db.url", "jdbc:mariadb://db:3306/vigil"));
        assertEquals("jdbc:mariadb://db:3306/vigil", external.database().orElseThrow().url());
        assertEquals("vigil", external.database().orElseThrow().user());
    }

    @Test
    void databaseCredentialsWithoutADatabaseUrlAreRefused() {
        assertEquals("VIGIL_DB_USER and VIGIL_DB_PASSWORD are for the database at VIGIL_DB_URL, which is not set",
                refusal("vigil.db.password", "secret"));
    }

    @Test
    void theFirstAdminNeedsBothUserAndPassword() {
        assertEquals("VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD go together: set both or neither",
                refusal("vigil.admin.user", "admin"));
        assertEquals("VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD go together: set both or neither",
                refusal("vigil.admin.password", "secret"));
    }

    @Test
    void theAgentsCaFileMustHoldPemCertificatesAndNothingElse(@TempDir Path dir) throws Exception {
        TestCertificates.Pair ca = new TestCertificates(dir).ca("agents-ca");
        String pem = Files.readString(ca.certificate());
        Path missing = dir.resolve("missing.pem");
        assertEquals("VIGIL_AGENTS_CA_FILE: cannot read " + missing + " (no such file)",
                refusal("vigil.agents.ca.file", missing.toString()));
        assertEquals("VIGIL_AGENTS_CA_FILE: cannot read " + dir + " (a directory)",
                refusal("vigil.agents.ca.file", dir.toString()));
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate at all\n");
        assertEquals("VIGIL_AGENTS_CA_FILE: " + garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                refusal("vigil.agents.ca.file", garbage.toString()));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertEquals("VIGIL_AGENTS_CA_FILE: " + empty + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                refusal("vigil.agents.ca.file", empty.toString()));
        Path broken = Files.writeString(dir.resolve("broken.pem"), pem + pem.replaceFirst("MII", "AAA"));
        assertEquals("VIGIL_AGENTS_CA_FILE: certificate 2 in " + broken + " cannot be read as an X.509 certificate",
                refusal("vigil.agents.ca.file", broken.toString()));
        Path truncated = Files.writeString(dir.resolve("truncated.pem"), pem + pem.substring(0, pem.length() / 2));
        assertEquals("VIGIL_AGENTS_CA_FILE: " + truncated + " has a -----BEGIN line without its -----END line",
                refusal("vigil.agents.ca.file", truncated.toString()));
        Path withKey = Files.writeString(dir.resolve("with-key.pem"), pem + Files.readString(ca.key()));
        assertEquals("VIGIL_AGENTS_CA_FILE: " + withKey + " holds a PRIVATE KEY block: give certificates only",
                refusal("vigil.agents.ca.file", withKey.toString()));

        Path bundle = Files.writeString(dir.resolve("bundle.pem"), "subject=CN=agents-ca\n" + pem + "\n" + pem);
        assertEquals(2, config(Map.of("vigil.agents.ca.file", bundle.toString())).agentsCa().size());
        assertEquals(List.of(), config(Map.of()).agentsCa(), "unset: the JVM's default trust only");
    }

    @Test
    void unknownVariablesAreTheServersOnesThatNoSettingReads() {
        Settings settings = Settings.of(Config.empty());
        ServerConfig.from(settings);
        Map<String, String> environment = new HashMap<>(Map.of("VIGIL_DRYRUN", "true", "VIGIL_DRY_RUN", "true",
                "VIGIL_SESSION_LIFETIME", "7d", "VIGIL_DB_PASSWORD", "p", "VIGIL_AGENT_DRYRUN", "true",
                "VIGIL_TELEGRAM_TOKEN", "t", "VIGIL_SERVER_JVM_OPTS", "-Xmx1g", "VIGIL_PASSWORD", "p",
                "VIGIL_RETENTION", "14", "HOME", "/root"));
        environment.putAll(Map.of("VIGIL_SERVER_URL", "http://x", "VIGIL_SERVER_API_TOKEN", "t"));
        assertEquals(List.of("VIGIL_DRYRUN", "VIGIL_RETENTION"), ServerConfig.unknownVariables(settings, environment));
    }

    @Test
    void everySettingReadIsInTheHelpAndInTheDocs() throws Exception {
        Settings settings = Settings.of(Config.empty());
        ServerConfig.from(settings);
        String variable = "VIGIL_[A-Z_]*[A-Z]";
        assertEquals(settings.variables(), StrictSettingsChecks.variablesIn(Main.HELP, variable),
                "--help lists exactly the settings");
        Set<String> undocumented = new TreeSet<>(settings.variables());
        undocumented.removeAll(StrictSettingsChecks.variablesIn(Files.readString(Path.of("../docs/server.md")),
                variable));
        assertEquals(Set.of(), undocumented, "settings missing in docs/server.md");
    }
}
