package dev.vigil.server;

import java.nio.file.Path;
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
                           Optional<String> secretKey, Path rulesDir, boolean dryRun, int retentionDays) {

    public record ExternalDatabase(String url, String user, String password) {
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
                text(vigil, "server.host").orElse("127.0.0.1"),
                port,
                database,
                Path.of(text(vigil, "data.dir").orElse("./data")).toAbsolutePath().normalize(),
                text(vigil, "secret.key"),
                Path.of(text(vigil, "rules.dir").orElse("./rules/drl")),
                vigil.get("dry.run").asBoolean().orElse(true),
                vigil.get("retention.days").asInt().orElse(14));
    }

    private static Optional<String> text(Config node, String key) {
        return node.get(key).asString().asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }
}
