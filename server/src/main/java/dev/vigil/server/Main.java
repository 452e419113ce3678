package dev.vigil.server;

import java.util.List;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.logging.common.LogConfig;

/** Starts the Vigil server: {@code java -jar vigil-server.jar [--help]}. Settings: environment variables. */
public final class Main {
    static final String HELP = """
            Usage: java -jar vigil-server.jar [--help]

            The Vigil server: polls the agents into MariaDB and serves the API (docs/server.md).

            Settings (environment variables):
              VIGIL_SERVER_HOST, VIGIL_SERVER_PORT    bind address            0.0.0.0, 8080
              VIGIL_DB_URL                            jdbc:mariadb://… URL     unset: embedded MariaDB in the data dir
              VIGIL_DB_USER, VIGIL_DB_PASSWORD        its credentials         vigil, empty
              VIGIL_DATA_DIR                          embedded database, generated secrets   ./data
              VIGIL_SECRET_KEY                        base64 32-byte key that encrypts agent tokens   generated into the data dir
              VIGIL_RETENTION_DAYS                    days of samples kept (1–90)   14
              VIGIL_RULES_DIR                         the DRL files           ./rules/drl
              VIGIL_DRY_RUN                           decide and record, never act   true
              VIGIL_ADMIN_USER, VIGIL_ADMIN_PASSWORD  create this admin at start while no user exists   unset
              VIGIL_BCRYPT_COST                       password hash work factor (4–31)   12
              VIGIL_SESSION_IDLE, VIGIL_SESSION_LIFETIME   browser sessions end after (8h, 30m, P7D)   8h, P7D
              VIGIL_METRICS_OPEN                      /metrics without a token   false
            """;

    private Main() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(HELP);
            return;
        }
        LogConfig.configureRuntime();
        ServerConfig config;
        VigilServer server;
        try {
            config = ServerConfig.from(Config.create());
            server = VigilServer.start(config);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("vigil-server: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("vigil-server: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vigil-shutdown"));
        Logger log = Logger.getLogger(Main.class.getName());
        log.info("Vigil server on http://" + config.host() + ":" + server.port());
        if (server.needsSetup()) {
            log.info("No user yet: open http://<this host>:" + server.port() + "/ to create the first admin"
                    + " (POST /api/v1/auth/setup), or start with VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD");
        }
    }
}
