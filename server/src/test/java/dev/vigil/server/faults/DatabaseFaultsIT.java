package dev.vigil.server.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.server.AgentJson;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerProcess;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.EmbeddedMariaDb;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fault-injection suite's database scenarios (docs/reliability.md), each against a packaged server: MariaDB
 * stopped, and the disk under the data directory (the embedded MariaDB's home) full. Through each, three agents are
 * polled and one disk fills up; afterwards every answer is a stored sample, the incident is recorded once, and the
 * time from the fault's end to all of that is reported.
 */
class DatabaseFaultsIT {
    private static final Duration STOPPED = FaultReport.LONG ? Duration.ofSeconds(60) : Duration.ofSeconds(20);
    private static final Duration FULL = FaultReport.LONG ? Duration.ofMinutes(3) : Duration.ofSeconds(30);
    private static final List<String> HOSTS = List.of("db-1", "db-2", "db-3");
    private static final Instant BALLAST_FROM = Instant.parse("2001-01-01T00:00:00Z");
    private static final Pattern EMBEDDED_PORT = Pattern.compile("Starting the embedded MariaDB in .* on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void mariaDbStoppedLosesNoAnswerAndRecordsTheDecisionsOfTheOutage() throws Exception {
        Path dir = Files.createDirectories(TestDatabase.testDir("db-stopped"));
        int port = ServerProcess.freePort();
        EmbeddedMariaDb[] mariadb = {EmbeddedMariaDb.start(dir.resolve("mariadb"), port)};
        ServerConfig.ExternalDatabase db = new ServerConfig.ExternalDatabase(mariadb[0].jdbcUrl(), "root", "");
        try (FakeAgents agents = new FakeAgents()) {
            FaultBench bench = new FaultBench(agents, ServerProcess.start(Map.of("VIGIL_DB_URL", db.url(),
                    "VIGIL_DB_USER", db.user(), "VIGIL_DB_PASSWORD", db.password(), "VIGIL_DATA_DIR",
                    dir.resolve("data").toString(), "VIGIL_RULES_DIR", dir.resolve("rules").toString()),
                    ServerProcess.freePort(), dir.resolve("server.log")).awaitReady(), db);
            try {
                Recovery recovery = throughTheFault(bench, () -> {
                    mariadb[0].close();
                    assertEquals(503, bench.server.call("GET", "/health/ready", null).statusCode(),
                            "not ready without its database");
                }, STOPPED, () -> mariadb[0] = EmbeddedMariaDb.start(dir.resolve("mariadb"), port));
                report(bench, "MariaDB stopped", STOPPED, recovery, "");
            } finally {
                bench.server.stop();
            }
        } finally {
            mariadb[0].close();
        }
    }

    @Test
    void aFullDiskUnderTheDataDirectoryLosesNoAnswerOnceSpaceIsFreed() throws Exception {
        Path dir = Files.createDirectories(TestDatabase.testDir("disk-full"));
        Path data = Files.createDirectories(dir.resolve("data"));
        boolean mounted = mountSmallDisk(data);
        if (!mounted) {
            System.out.println("SKIPPED: the full-disk scenario needs to mount a tmpfs (root, with CAP_SYS_ADMIN)");
        }
        assumeTrue(mounted, "a tmpfs could be mounted under the data directory");
        Path log = dir.resolve("server.log");
        try (FakeAgents agents = new FakeAgents()) {
            ServerProcess server = ServerProcess.start(Map.of("VIGIL_DATA_DIR", data.toString(), "VIGIL_RULES_DIR",
                    dir.resolve("rules").toString()), ServerProcess.freePort(), log).awaitReady();
            Matcher port = EMBEDDED_PORT.matcher(Files.readString(log));
            assertTrue(port.find(), "the embedded MariaDB's port in the log");
            FaultBench bench = new FaultBench(agents, server, new ServerConfig.ExternalDatabase(
                    "jdbc:mariadb://127.0.0.1:" + port.group(1) + "/" + EmbeddedMariaDb.DATABASE, "root", ""));
            Path filler = data.resolve("filler");
            try {
                Recovery recovery = throughTheFault(bench, () -> {
                    fill(filler);
                    System.out.println("DatabaseFaultsIT: " + ballast(bench) + " ballast samples took the space"
                            + " left inside the samples table");
                }, FULL, () -> {
                    Files.delete(filler);
                    FaultBench.await("the ballast deleted (MariaDB running again)", Duration.ofSeconds(120), () -> {
                        try {
                            bench.update("DELETE FROM samples WHERE collected_at < ?",
                                    Timestamp.from(BALLAST_FROM.plus(Duration.ofDays(1))));
                            return true;
                        } catch (SQLException notYet) {
                            return false;
                        }
                    });
                });
                long restarts = Files.readAllLines(log).stream()
                        .filter(line -> line.contains("The embedded MariaDB runs again")).count();
                report(bench, "disk under the data directory full", FULL, recovery, "; MariaDB aborted on it"
                        + " (a rollback found no space) and the server started it again " + restarts + " time(s)");
            } finally {
                server.stop();
            }
        } finally {
            run("umount", "-l", data.toString());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Three hosts polled; {@code fault} for {@code held}, during which db-1's disk fills up; {@code end}; then waits
     * for every answer stored and the incident recorded, and answers when all that was so.
     */
    private static Recovery throughTheFault(FaultBench bench, Step fault, Duration held, Step end) throws Exception {
        for (String name : HOSTS) {
            bench.register(name, 40);
        }
        FaultBench.await("a sample of every host", Duration.ofSeconds(4L * FaultBench.INTERVAL_SECONDS),
                () -> HOSTS.stream().allMatch(name -> bench.samples(name) > 0));
        Instant began = Instant.now();
        fault.run();
        bench.agents.serve("db-1", AgentJson.snapshot(Instant.now(), 10, 20, 95, "active"));
        Duration left = Duration.between(Instant.now(), began.plus(held));
        if (left.isPositive()) {
            Thread.sleep(left);
        }
        Instant ended = Instant.now();
        end.run();
        bench.everyAnswerStored(HOSTS, Duration.ofSeconds(120));
        FaultBench.await("db-1's full disk recorded as an incident", Duration.ofSeconds(60),
                () -> bench.incidents("db-1") == 1);
        Instant recovered = Instant.now();
        assertEquals(200, bench.server.call("GET", "/health/ready", null).statusCode());
        assertEquals(1, bench.incidents("db-1"), "the incident recorded once");
        return new Recovery(Duration.between(ended, recovered), Duration.between(began, recovered));
    }

    /** From the fault's end (zero when all was stored before it ended) and from its start. */
    private record Recovery(Duration afterEnd, Duration afterStart) {
    }

    private static void report(FaultBench bench, String scenario, Duration held, Recovery recovery, String more) {
        long answers = HOSTS.stream().mapToLong(bench.agents::snapshotsAnswered).sum();
        FaultReport.record(scenario, held, recovery.afterEnd(), answers + " answers of 3 hosts, all stored ("
                + recovery.afterStart().toSeconds() + " s after the fault began); the full disk that came up during"
                + " it recorded once" + more);
    }

    /**
     * Fills the samples table up to the full disk with rows of db-3 from long ago (InnoDB had room left inside the
     * table's file, which would take the server's writes for a long while yet); answers how many.
     */
    private static int ballast(FaultBench bench) throws SQLException {
        byte[] detail = new byte[60_000];
        new Random(7).nextBytes(detail);
        int rows = 0;
        try (Connection connection = bench.connect();
             PreparedStatement insert = connection.prepareStatement(Database.statement("insert-sample"))) {
            while (rows < 20_000) { // 1.2 GB, more than the disk
                insert.setLong(1, bench.id("db-3"));
                insert.setTimestamp(2, Timestamp.from(BALLAST_FROM.plusSeconds(rows)));
                insert.setTimestamp(3, Timestamp.from(BALLAST_FROM.plusSeconds(rows)));
                for (int column = 4; column <= 12; column++) {
                    insert.setDouble(column, 0);
                }
                insert.setBytes(13, detail);
                insert.setBoolean(14, false);
                assertEquals(1, insert.executeUpdate(), "a row the full disk did not take was refused, not"
                        + " dropped without a word (INSERT IGNORE)");
                rows++;
            }
        } catch (SQLException full) {
            // "is full", or MariaDB aborted: a rollback that finds no disk space is fatal to it
            if (!String.valueOf(full.getMessage()).contains("is full") && !Database.connectionLost(full)) {
                throw full;
            }
            return rows;
        }
        return fail("the samples table took 1.2 GB on a 1 GB disk");
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static boolean mountSmallDisk(Path at) throws Exception {
        return run("mount", "-t", "tmpfs", "-o", "size=1g", "tmpfs", at.toString());
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        boolean done = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        if (!done) {
            System.out.println(String.join(" ", command) + ": " + output.strip());
        }
        return done;
    }
}
