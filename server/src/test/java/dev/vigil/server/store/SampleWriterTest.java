package dev.vigil.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.model.AgentSnapshot;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Samples reach MariaDB in batches, and a full buffer sheds in order (the outage itself: OutageIT). */
class SampleWriterTest {
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    static AgentSnapshot snapshot(Instant at, long recv, long sent) throws AgentSnapshot.BadPayload {
        JsonObject json = Json.createObjectBuilder()
                .add("hostname", "web-1").add("collected_at", at.toString())
                .add("cpu", Json.createObjectBuilder().add("percent", 12.5)
                        .add("load_avg", Json.createArrayBuilder().add(0.5).add(0.4).add(0.3)))
                .add("virtual_memory", Json.createObjectBuilder().add("percent", 40.0))
                .add("swap_memory", Json.createObjectBuilder().add("percent", 0.0))
                .add("disk_usage", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("percent", 71.0))
                        .add(Json.createObjectBuilder().add("percent", 93.5)))
                .add("net_io_counters", Json.createObjectBuilder()
                        .add("lo", Json.createObjectBuilder().add("bytes_recv", 999_999).add("bytes_sent", 999_999))
                        .add("eth0", Json.createObjectBuilder().add("bytes_recv", recv).add("bytes_sent", sent)))
                .build();
        return AgentSnapshot.parse(json.toString().getBytes());
    }

    private static long count(ServerConfig.ExternalDatabase db, String where) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM samples " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void awaitRows(ServerConfig.ExternalDatabase db, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (count(db, "") == rows) {
                return;
            }
            Thread.sleep(100);
        }
        fail("expected " + rows + " rows, found " + count(db, ""));
    }

    private static Database open(ServerConfig.ExternalDatabase db) {
        return Database.open(new ServerConfig("127.0.0.1", 0, Optional.of(db), TestDatabase.testDir("writer"),
                Optional.empty(), Path.of("rules"), true, 14, 10, ServerConfig.Security.DEFAULTS, List.of(), true, TestDatabase.replica(),
                ServerConfig.TELEGRAM_LEASE_TTL));
    }

    private static SampleWriter writer(Database database) {
        return new SampleWriter(database.client(), Database.statement("insert-sample"), SampleWriter.Settings.DEFAULTS);
    }

    @Test
    void samplesAreWrittenWithHeadlineGaugesRatesAndCompressedDetail() throws Exception {
        ServerConfig.ExternalDatabase db = TestDatabase.fresh();
        try (Database database = open(db); SampleWriter writer = writer(database)) {
            writer.accept(1, snapshot(T0, 1_000, 500), T0);
            writer.accept(1, snapshot(T0.plusSeconds(10), 11_000, 2_500), T0.plusSeconds(10));
            writer.accept(1, snapshot(T0.plusSeconds(10), 11_000, 2_500), T0.plusSeconds(11));
            writer.accept(2, snapshot(T0, 5, 5), T0);
            awaitRows(db, 3);
            assertEquals(4, writer.written(), "rows sent; the repeated snapshot's row is ignored by the database");
        }
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM samples WHERE host_id = 1 ORDER BY collected_at")) {
            assertTrue(r.next());
            assertEquals(12.5f, r.getFloat("cpu_percent"));
            assertEquals(93.5f, r.getFloat("disk_percent"), "the fullest filesystem");
            assertNull(r.getObject("net_recv_bps"), "no rate from a single reading");
            assertTrue(r.next());
            assertEquals(1000.0, r.getDouble("net_recv_bps"), 0.001, "10,000 bytes in 10 s, loopback left out");
            assertEquals(200.0, r.getDouble("net_sent_bps"), 0.001);
            byte[] detail = r.getBytes("detail");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(detail))) {
                assertTrue(new String(in.readAllBytes()).contains("\"hostname\":\"web-1\""));
            }
        }
    }

    @Test
    void backfilledSamplesAreMarkedStoredOnceAndLeaveTheLiveRatesAlone() throws Exception {
        ServerConfig.ExternalDatabase db = TestDatabase.fresh();
        try (Database database = open(db); SampleWriter writer = writer(database)) {
            writer.accept(1, snapshot(T0, 1_000, 0), T0);
            writer.accept(1, snapshot(T0.plusSeconds(30), 31_000, 0), T0.plusSeconds(30));
            awaitRows(db, 2);
            // the history overlaps what is stored: the live rows at T0 and T0+30 stay as they are, once each
            writer.backfill(1, List.of(snapshot(T0, 1_000, 0), snapshot(T0.plusSeconds(10), 2_000, 0),
                    snapshot(T0.plusSeconds(20), 4_000, 0), snapshot(T0.plusSeconds(30), 31_000, 0)),
                    T0.plusSeconds(31));
            awaitRows(db, 4);
            writer.accept(1, snapshot(T0.plusSeconds(40), 41_000, 0), T0.plusSeconds(40));
            awaitRows(db, 5);
        }
        assertEquals(List.of("0", "1", "1", "0", "0"), TestDatabase.firstColumn(db,
                "SELECT backfilled FROM samples WHERE host_id = 1 ORDER BY collected_at"));
        assertEquals(List.of("-1", "100", "200", "1000", "1000"), TestDatabase.firstColumn(db,
                "SELECT COALESCE(CAST(ROUND(net_recv_bps) AS SIGNED), -1) FROM samples WHERE host_id = 1 ORDER BY collected_at"),
                "backfilled rates between backfilled samples (the first has none); the live rate after them still"
                        + " from the last live sample");
        assertEquals(List.of("5"), TestDatabase.firstColumn(db,
                "SELECT COUNT(DISTINCT collected_at) FROM samples WHERE host_id = 1"));
    }

    @Test
    void aFullBufferDropsDetailFirstThenTheOldestRows() throws Exception {
        ServerConfig.ExternalDatabase db = TestDatabase.fresh();
        try (Database database = open(db)) {
            long detailSize = Gzip.compress(snapshot(T0, 0, 0).body()).length;
            // Every write fails (no such table), as when the database is away: the buffer has to hold and shed.
            String failing = Database.statement("insert-sample").replace("INTO samples", "INTO no_such_table");
            try (SampleWriter writer = new SampleWriter(database.client(), failing,
                    new SampleWriter.Settings(10, Duration.ofMillis(50), 20, detailSize * 5))) {
                for (int i = 0; i < 30; i++) {
                    writer.accept(1, snapshot(T0.plusSeconds(i), i, i), T0);
                }
                Thread.sleep(300);
                assertEquals(20, writer.bufferDepth(), "rows beyond the bound are dropped, oldest first");
                assertEquals(10, writer.droppedRows());
                assertTrue(writer.droppedDetails() >= 15, "detail went first: " + writer.droppedDetails());
                assertEquals(0, writer.written());
            }
        }
        assertEquals(0, count(db, ""));
    }
}
