package dev.vigil.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.vigil.server.cluster.Ownership;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.Retention;
import dev.vigil.server.store.SecretBox;
import dev.vigil.settings.Settings;
import dev.vigil.settings.SettingsException;
import io.helidon.config.Config;

/**
 * The server's settings from the {@code vigil} config subtree; Helidon maps the environment onto it
 * ({@code VIGIL_DB_URL} → {@code vigil.db.url}). Every value is read strictly ({@link Settings}).
 *
 * @param database  an external MariaDB, or empty for the embedded one in the data directory
 * @param secretKey     base64 of the 32-byte key that encrypts agent tokens, or empty to use/generate one in the data dir
 * @param dryRun              the global dry run,
 * @param retentionDays       days of samples kept (1–90), and
 * @param pollIntervalSeconds the poll interval of hosts without their own (5–3600): the first values of the stored
 *                            settings, which the settings API changes at run time (a stored value wins)
 * @param agentsCa            certificates that agents' HTTPS certificates are checked against besides the JVM's
 *                            default trust ({@code VIGIL_AGENTS_CA_FILE}); empty: the default trust only
 * @param agentEvents         follow each agent's event stream besides polling it ({@code VIGIL_AGENTS_EVENTS})
 * @param replica             this instance among the replicas on one database ({@code VIGIL_INSTANCE_ID},
 *                            {@code VIGIL_LEASE_TTL}; docs/scaling.md)
 * @param telegramLeaseTtl    how long the one Telegram poller's lease lasts without renewal
 *                            ({@code VIGIL_TELEGRAM_LEASE_TTL}; docs/telegram.md)
 */
public record ServerConfig(String host, int port, Optional<ExternalDatabase> database, Path dataDir,
                           Optional<String> secretKey, Path rulesDir, boolean dryRun, int retentionDays,
                           int pollIntervalSeconds, Security security, List<X509Certificate> agentsCa,
                           boolean agentEvents, Ownership.Settings replica, Duration telegramLeaseTtl) {

    /** The default life of the Telegram poller lease without renewal (the bot renews it every 10 s). */
    public static final Duration TELEGRAM_LEASE_TTL = Duration.ofSeconds(30);

    /**
     * Variables that look like the server's but are not its settings: the agent's and the Telegram bot's (by
     * prefix), the launcher's, vigil-api-token's password, and the bot's way to the server (DESIGN §3.5) and its
     * name among the bots.
     */
    static final Set<String> NOT_SETTINGS = Set.of("VIGIL_AGENT_", "VIGIL_TELEGRAM_", "VIGIL_SERVER_JVM_OPTS",
            "VIGIL_PASSWORD", "VIGIL_SERVER_URL", "VIGIL_SERVER_API_TOKEN", "VIGIL_SERVER_API_TOKEN_FILE",
            "VIGIL_BOT_INSTANCE_ID");

    public record ExternalDatabase(String url, String user, String password) {
    }

    /**
     * Accounts and access (docs/security.md).
     *
     * @param adminUser       with {@code adminPassword}: the first admin, created at start while no user exists
     * @param bcryptCost      the work factor of password hashes (4–31)
     * @param sessionIdle     a browser session ends after this long without a request
     * @param sessionLifetime and after this long in any case
     * @param metricsOpen     {@code /metrics} without a token (for a Prometheus that cannot send one)
     */
    public record Security(Optional<String> adminUser, Optional<String> adminPassword, int bcryptCost,
                           Duration sessionIdle, Duration sessionLifetime, boolean metricsOpen) {
        public static final Security DEFAULTS = new Security(Optional.empty(), Optional.empty(), 12,
                Duration.ofHours(8), Duration.ofDays(7), false);
    }

    public ServerConfig withDryRun(boolean dryRun) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays,
                pollIntervalSeconds, security, agentsCa, agentEvents, replica, telegramLeaseTtl);
    }

    public ServerConfig withSecurity(Security security) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays,
                pollIntervalSeconds, security, agentsCa, agentEvents, replica, telegramLeaseTtl);
    }

    public ServerConfig withAgentEvents(boolean agentEvents) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays,
                pollIntervalSeconds, security, agentsCa, agentEvents, replica, telegramLeaseTtl);
    }

    public ServerConfig withAgentsCa(List<X509Certificate> agentsCa) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays,
                pollIntervalSeconds, security, agentsCa, agentEvents, replica, telegramLeaseTtl);
    }

    /** Reads and checks the settings; one that cannot be used is a {@link SettingsException} naming it. */
    public static ServerConfig from(Config root) {
        return from(Settings.of(root));
    }

    /** As {@link #from(Config)}, with {@code settings} remembering what was read (for {@link #unknownVariables}). */
    public static ServerConfig from(Settings settings) {
        Settings vigil = settings.under("vigil");
        Optional<String> url = vigil.url("db.url", "jdbc:mariadb://", "jdbc:mysql://");
        Optional<String> user = vigil.text("db.user");
        Optional<String> password = vigil.text("db.password");
        if (url.isEmpty() && (user.isPresent() || password.isPresent())) {
            throw new SettingsException(vigil.variable("db.user") + " and " + vigil.variable("db.password")
                    + " are for the database at " + vigil.variable("db.url") + ", which is not set");
        }
        Optional<ExternalDatabase> database = url.map(u -> new ExternalDatabase(u, user.orElse("vigil"),
                password.orElse("")));
        Optional<String> secretKey = vigil.text("secret.key");
        if (secretKey.isPresent() && SecretBox.key(secretKey.get()).isEmpty()) {
            throw vigil.invalid("secret.key", "must be base64 of 32 bytes (make one with: openssl rand -base64 32)");
        }
        return new ServerConfig(
                vigil.text("server.host", "0.0.0.0"),
                vigil.integer("server.port", 8080, 0, 65535),
                database,
                vigil.path("data.dir", Path.of("./data")).toAbsolutePath().normalize(),
                secretKey,
                vigil.path("rules.dir", Path.of("./rules/drl")),
                vigil.bool("dry.run", true),
                vigil.integer("retention.days", 14, Retention.MIN_DAYS, Retention.MAX_DAYS),
                pollInterval(vigil),
                security(vigil),
                vigil.certificates("agents.ca.file").orElse(List.of()),
                vigil.bool("agents.events", true),
                replica(vigil),
                vigil.duration("telegram.lease.ttl", TELEGRAM_LEASE_TTL, Duration.ofSeconds(3),
                        Duration.ofMinutes(10)));
    }

    public ServerConfig withTelegramLeaseTtl(Duration telegramLeaseTtl) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays,
                pollIntervalSeconds, security, agentsCa, agentEvents, replica, telegramLeaseTtl);
    }

    public ServerConfig withReplica(Ownership.Settings replica) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays,
                pollIntervalSeconds, security, agentsCa, agentEvents, replica, telegramLeaseTtl);
    }

    /**
     * The instance's name among replicas: given, or this machine's name and port (a restart takes its own leases
     * back at once), or with an ephemeral port, the machine's name and a random suffix.
     */
    private static Ownership.Settings replica(Settings vigil) {
        Optional<String> given = vigil.text("instance.id");
        if (given.isPresent() && !given.get().matches("[A-Za-z0-9._:@-]{1,128}")) {
            throw vigil.invalid("instance.id", "must be 1 to 128 letters, digits or . _ : @ -");
        }
        int port = vigil.integer("server.port", 8080, 0, 65535);
        String instance = given.orElseGet(() -> machineName() + (port > 0 ? ":" + port
                : "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL)));
        return new Ownership.Settings(instance, vigil.duration("lease.ttl", Duration.ofSeconds(20),
                Duration.ofSeconds(3), Duration.ofMinutes(10)));
    }

    private static String machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return name.isEmpty() ? "vigil" : name.substring(0, Math.min(name.length(), 100));
        } catch (UnknownHostException e) {
            return "vigil";
        }
    }

    /**
     * The variables set in {@code environment} that look like the server's ({@code VIGIL_…}) but that no setting
     * reads: likely typos. The agent's and the Telegram bot's variables are theirs (run.sh exports the agent's
     * into the server's environment too), and the launcher's and vigil-api-token's are not settings.
     */
    public static List<String> unknownVariables(Settings settings, Map<String, String> environment) {
        return settings.unknownVariables(environment, "VIGIL_", NOT_SETTINGS);
    }

    /** Whole seconds, from 5 s to an hour, as a host's own interval. */
    private static int pollInterval(Settings vigil) {
        Duration interval = vigil.duration("poll.interval", Duration.ofSeconds(10),
                Duration.ofSeconds(Host.MIN_INTERVAL_SECONDS), Duration.ofSeconds(Host.MAX_INTERVAL_SECONDS));
        if (interval.toMillis() % 1000 != 0) {
            throw vigil.invalid("poll.interval", "must be whole seconds, such as 10s or 1m");
        }
        return (int) interval.toSeconds();
    }

    private static Security security(Settings vigil) {
        Optional<String> user = vigil.text("admin.user");
        Optional<String> password = vigil.text("admin.password");
        if (user.isPresent() != password.isPresent()) {
            throw new SettingsException(vigil.variable("admin.user") + " and " + vigil.variable("admin.password")
                    + " go together: set both or neither");
        }
        return new Security(user, password,
                vigil.integer("bcrypt.cost", Security.DEFAULTS.bcryptCost(), 4, 31),
                vigil.duration("session.idle", Security.DEFAULTS.sessionIdle(), Duration.ofMinutes(1),
                        Duration.ofDays(30)),
                vigil.duration("session.lifetime", Security.DEFAULTS.sessionLifetime(), Duration.ofMinutes(1),
                        Duration.ofDays(365)),
                vigil.bool("metrics.open", Security.DEFAULTS.metricsOpen()));
    }
}
