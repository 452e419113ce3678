package dev.vigil.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The server's settings from the {@code vigil} config subtree; Helidon maps the environment onto it
 * ({@code VIGIL_DB_URL} → {@code vigil.db.url}).
 *
 * @param database  an external MariaDB, or empty for the embedded one in the data directory
 * @param secretKey     base64 of the 32-byte key that encrypts agent tokens, or empty to use/generate one in the data dir
 * @param retentionDays days of samples kept (1–90); the settings API will change it at run time
 */
public record ServerConfig(String host, int port, Optional<ExternalDatabase> database, Path dataDir,
                           Optional<String> secretKey, Path rulesDir, boolean dryRun, int retentionDays,
                           Security security) {

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
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays, security);
    }

    public ServerConfig withSecurity(Security security) {
        return new ServerConfig(host, port, database, dataDir, secretKey, rulesDir, dryRun, retentionDays, security);
    }

    public static ServerConfig from(Config root) {
        Config vigil = root.get("vigil");
        int port = vigil.get("server.port").asInt().orElse(8080);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("VIGIL_SERVER_PORT must be 0–65535, not " + port);
        }
        Optional<ExternalDatabase> database = text(vigil, "db.url").map(url -> {
            if (!url.startsWith("jdbc:mariadb://") && !url.startsWith("jdbc:mysql://")) {
                throw new IllegalArgumentException("VIGIL_DB_URL must be a jdbc:mariadb:// URL, not " + url);
            }
            return new ExternalDatabase(url, text(vigil, "db.user").orElse("vigil"),
                    vigil.get("db.password").asString().orElse(""));
        });
        return new ServerConfig(
                text(vigil, "server.host").orElse("0.0.0.0"),
                port,
                database,
                Path.of(text(vigil, "data.dir").orElse("./data")).toAbsolutePath().normalize(),
                text(vigil, "secret.key"),
                Path.of(text(vigil, "rules.dir").orElse("./rules/drl")),
                vigil.get("dry.run").asBoolean().orElse(true),
                vigil.get("retention.days").asInt().orElse(14),
                security(vigil));
    }

    private static Security security(Config vigil) {
        Optional<String> user = text(vigil, "admin.user");
        Optional<String> password = vigil.get("admin.password").asString().asOptional().filter(p -> !p.isEmpty());
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD go together: set both or"
                    + " neither");
        }
        int cost = vigil.get("bcrypt.cost").asInt().orElse(Security.DEFAULTS.bcryptCost());
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("VIGIL_BCRYPT_COST must be 4–31, not " + cost);
        }
        return new Security(user, password, cost,
                duration(vigil, "session.idle", Security.DEFAULTS.sessionIdle()),
                duration(vigil, "session.lifetime", Security.DEFAULTS.sessionLifetime()),
                vigil.get("metrics.open").asBoolean().orElse(false));
    }

    private static Duration duration(Config vigil, String key, Duration fallback) {
        Optional<String> value = text(vigil, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            String text = value.get().toUpperCase(java.util.Locale.ROOT);
            Duration parsed = Duration.parse(text.startsWith("P") ? text
                    : text.endsWith("D") ? "P" + text : "PT" + text);
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException(key);
            }
            return parsed;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("VIGIL_" + key.replace('.', '_').toUpperCase(java.util.Locale.ROOT)
                    + " must be a duration such as 8h, 30m or P7D, not " + value.get());
        }
    }

    private static Optional<String> text(Config node, String key) {
        return node.get(key).asString().asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }
}
