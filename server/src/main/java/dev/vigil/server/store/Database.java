package dev.vigil.server.store;

import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import dev.vigil.server.ServerConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import org.flywaydb.core.Flyway;

/**
 * The database: the embedded MariaDB or an external one, the same code path after the URL. Flyway brings the
 * schema up to date at start; the Helidon DB client (over a HikariCP pool) runs the named statements.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    /** How long a call waits for a connection before it fails as "the database is away". */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    private static final Config STATEMENTS = Config.just(ConfigSources.classpath("statements.yaml"));

    private final DbClient client;
    private final Optional<EmbeddedMariaDb> embedded;

    private Database(DbClient client, Optional<EmbeddedMariaDb> embedded) {
        this.client = client;
        this.embedded = embedded;
    }

    /** The text of a named statement, for the few writes that go through plain JDBC (batches). */
    public static String statement(String name) {
        return STATEMENTS.get("statements").get(name).asString()
                .orElseThrow(() -> new IllegalStateException("no statement " + name + " in statements.yaml"));
    }

    public static Database open(ServerConfig config) {
        Optional<EmbeddedMariaDb> embedded = config.database().isEmpty()
                ? Optional.of(EmbeddedMariaDb.start(config.dataDir()))
                : Optional.empty();
        ServerConfig.ExternalDatabase target = config.database().orElseGet(
                () -> new ServerConfig.ExternalDatabase(embedded.get().jdbcUrl(), "root", ""));
        try {
            Flyway.configure()
                    .dataSource(target.url(), target.user(), target.password())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            Config dbConfig = Config.just(
                    ConfigSources.create(Map.of(
                            "source", "jdbc",
                            "connection.url", target.url(),
                            "connection.username", target.user(),
                            "connection.password", target.password(),
                            // Hikari's default is 30 s: with the database away every call (an API request, a
                            // shutdown's last writes) would hang that long before the outage handling takes over
                            "connection.connectionTimeout", Long.toString(CONNECTION_TIMEOUT.toMillis()))),
                    ConfigSources.classpath("statements.yaml"));
            LOG.info("Database ready: " + redacted(target.url()));
            return new Database(DbClient.create(dbConfig), embedded);
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedMariaDb::close);
            throw new IllegalStateException("cannot use the database at " + redacted(target.url()) + ": "
                    + rootMessage(e), e);
        }
    }

    public DbClient client() {
        return client;
    }

    /** Readiness: the database answers a trivial query now. */
    public boolean reachable() {
        try {
            return client.execute().namedGet("ping").isPresent();
        } catch (RuntimeException e) {
            LOG.fine("database not reachable: " + e);
            return false;
        }
    }

    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * Whether a call failed for want of a connection (the database is down or unreachable): an outage to wait out,
     * whatever {@link #reachable} says a moment later.
     */
    public static boolean connectionLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Whether a write failed on a unique key (or another constraint): a conflict, not a fault. */
    public static boolean violatesConstraint(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public void close() {
        client.close();
        embedded.ifPresent(EmbeddedMariaDb::close);
    }
}
