package dev.vigil.server;

import java.util.Optional;
import java.util.logging.Logger;

import dev.vigil.settings.Launch;
import io.helidon.logging.common.LogConfig;

/** Starts the Vigil server: {@code java -jar vigil-server.jar [--help]}. Settings: environment variables. */
public final class Main {
    static final String HELP = """
            Usage: java -jar vigil-server.jar [--help]

            The Vigil server: polls the agents into MariaDB and serves the API (docs/server.md).

            Settings (environment variables):
              VIGIL_SERVER_HOST, VIGIL_SERVER_PORT    bind address, port (0–65535)   0.0.0.0, 8080
              VIGIL_DB_URL                            jdbc:mariadb://… URL     unset: embedded MariaDB in the data dir
              VIGIL_DB_USER, VIGIL_DB_PASSWORD        its credentials (only with VIGIL_DB_URL)   vigil, empty
              VIGIL_DATA_DIR                          embedded database, generated secrets   ./data
              VIGIL_SECRET_KEY                        base64 32-byte key that encrypts agent tokens   generated into the data dir
              VIGIL_RETENTION_DAYS                    days of samples kept (1–90)   14
              VIGIL_RULES_DIR                         the DRL files           ./rules/drl
              VIGIL_DRY_RUN                           decide and record, never act   true
              VIGIL_POLL_INTERVAL                     poll interval of hosts without their own (5s–1h)   10s
                (these three only seed the stored settings at the first start; then PUT /api/v1/settings)
              VIGIL_ADMIN_USER, VIGIL_ADMIN_PASSWORD  create this admin at start while no user exists   unset
              VIGIL_BCRYPT_COST                       password hash work factor (4–31)   12
              VIGIL_SESSION_IDLE                      a browser session ends after this long idle (1m–30d)   8h
              VIGIL_SESSION_LIFETIME                  and after this long in any case (1m–365d)   7d
              VIGIL_METRICS_OPEN                      /metrics without a token   false
              VIGIL_AGENTS_CA_FILE                    PEM file of CA (or self-signed) certificates that agents'
                                                      HTTPS certificates may chain to, besides the JVM's CAs   unset
              VIGIL_AGENTS_EVENTS                     follow each agent's event stream besides polling it   true
              VIGIL_INSTANCE_ID                       this instance's name among replicas on one database
                                                      (docs/scaling.md)   machine name:port
              VIGIL_LEASE_TTL                         a host lease's life without renewal (3s–10m)   20s
              VIGIL_TELEGRAM_LEASE_TTL                the Telegram poller lease's life without renewal
                                                      (3s–10m; docs/telegram.md)   30s

            Values: booleans are true or false (any case) and nothing else; durations 500ms, 2s, 10m, 8h, 7d or
            ISO-8601 (PT2S, P7D); whole numbers within their range. Spaces around a value are stripped, and an
            empty value counts as unset. A value that cannot be read stops the server with one line naming it and
            exit code 2; a VIGIL_… variable that is no setting (nor the agent's or the bot's) is named in a warning.
            """;

    private record Started(ServerConfig config, VigilServer server) {
    }

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Logger log = Logger.getLogger(Main.class.getName());
        Optional<Started> started = Launch.start("vigil-server", args, HELP, log, ServerConfig::unknownVariables,
                settings -> {
                    ServerConfig config = ServerConfig.from(settings);
                    return new Started(config, VigilServer.start(config));
                });
        if (started.isEmpty()) {
            return;
        }
        VigilServer server = started.get().server();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vigil-shutdown"));
        log.info("Vigil server on http://" + started.get().config().host() + ":" + server.port());
        if (server.needsSetup()) {
            log.info("No user yet: open http://<this host>:" + server.port() + "/ to create the first admin"
                    + " (POST /api/v1/auth/setup), or start with VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD");
        }
    }
}
