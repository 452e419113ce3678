package dev.vigil.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention works by whole days on the real partitioned table. */
class RetentionTest {
    private static Clock at(String day) {
        return Clock.fixed(LocalDate.parse(day).atTime(12, 0).atZone(ZoneId.systemDefault()).toInstant(),
                ZoneId.systemDefault());
    }

    private static List<String> days(ServerConfig.ExternalDatabase db, String sql) throws Exception {
        List<String> result = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                result.add(r.getString(1));
            }
        }
        return result;
    }

    @Test
    void expiredDaysAreDroppedWholeAndTheComingDaysPrepared() throws Exception {
        ServerConfig.ExternalDatabase db = TestDatabase.fresh();
        try (Database database = Database.open(new ServerConfig("127.0.0.1", 0, Optional.of(db),
                TestDatabase.testDir("retention"), Optional.empty(), Path.of("rules"), true, 3, ServerConfig.Security.DEFAULTS))) {
            Retention first = new Retention(database.client(), 3, at("2026-11-22"));
            first.run();
            assertEquals(List.of(LocalDate.parse("2026-11-19"), LocalDate.parse("2026-11-20"),
                    LocalDate.parse("2026-11-21"), LocalDate.parse("2026-11-22"), LocalDate.parse("2026-11-23"),
                    LocalDate.parse("2026-11-24")), first.dayPartitions());

            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                 Statement s = c.createStatement()) {
                for (String day : List.of("2026-11-18", "2026-11-20", "2026-11-22", "2026-11-23")) {
                    s.execute("INSERT INTO samples (host_id, collected_at, received_at, cpu_percent, memory_percent,"
                            + " swap_percent, load1, load5, load15, disk_percent) VALUES (1, '" + day
                            + " 08:00:00', '" + day + " 08:00:00', 1, 1, 1, 1, 1, 1, 1)");
                }
            }

            Retention twoDaysLater = new Retention(database.client(), 3, at("2026-11-24"));
            twoDaysLater.run();
            assertEquals(List.of("2026-11-22", "2026-11-23"), days(db,
                    "SELECT DATE(collected_at) FROM samples ORDER BY collected_at"),
                    "the days before 2026-11-21 are gone, with the 11-18 row that had landed in the first partition");
            List<LocalDate> partitions = twoDaysLater.dayPartitions();
            assertEquals(LocalDate.parse("2026-11-21"), partitions.getFirst());
            assertEquals(LocalDate.parse("2026-11-26"), partitions.getLast());

            twoDaysLater.run();
            assertEquals(partitions, twoDaysLater.dayPartitions(), "running again changes nothing");
            assertTrue(days(db, "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA ="
                    + " DATABASE() AND TABLE_NAME = 'samples'").contains("p_future"));
        }
    }

    @Test
    void aRetentionOutsideOneToNinetyDaysIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Retention(null, 91, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("VIGIL_RETENTION_DAYS must be 1–90"));
        assertThrows(IllegalArgumentException.class, () -> new Retention(null, 0, Clock.systemUTC()));
    }
}
