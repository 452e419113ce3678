package dev.vigil.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention works by whole days on the real partitioned table, on a fixed clock far from today. */
class RetentionTest {
    private static final LocalDate DAY = LocalDate.of(2010, 6, 15);

    private static Clock at(LocalDate day) {
        return Clock.fixed(day.atTime(12, 0).atZone(ZoneId.systemDefault()).toInstant(), ZoneId.systemDefault());
    }

    @Test
    void expiredDaysAreDroppedWholeAndTheComingDaysPrepared() throws Exception {
        ServerConfig.ExternalDatabase db = TestDatabase.fresh();
        try (Database database = Database.open(new ServerConfig("127.0.0.1", 0, Optional.of(db),
                TestDatabase.testDir("retention"), Optional.empty(), Path.of("rules"), true, 3, 10, ServerConfig.Security.DEFAULTS,
                List.of(), true, TestDatabase.replica(),
                ServerConfig.TELEGRAM_LEASE_TTL))) {
            Retention first = new Retention(database.client(), () -> 3, at(DAY));
            first.run();
            assertEquals(List.of(DAY.minusDays(3), DAY.minusDays(2), DAY.minusDays(1), DAY, DAY.plusDays(1),
                    DAY.plusDays(2)), first.dayPartitions());

            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                 Statement s = c.createStatement()) {
                for (LocalDate day : List.of(DAY.minusDays(4), DAY.minusDays(2), DAY, DAY.plusDays(1))) {
                    s.execute("INSERT INTO samples (host_id, collected_at, received_at, cpu_percent, memory_percent,"
                            + " swap_percent, load1, load5, load15, disk_percent) VALUES (1, '" + day
                            + " 08:00:00', '" + day + " 08:00:00', 1, 1, 1, 1, 1, 1, 1)");
                }
            }

            AtomicInteger days = new AtomicInteger(3);
            Retention twoDaysLater = new Retention(database.client(), days::get, at(DAY.plusDays(2)));
            twoDaysLater.run();
            assertEquals(List.of(DAY.toString(), DAY.plusDays(1).toString()), TestDatabase.firstColumn(db,
                    "SELECT DATE(collected_at) FROM samples ORDER BY collected_at"),
                    "the days before the oldest kept are gone, with the row 4 days back that had landed in the first"
                            + " partition");
            List<LocalDate> partitions = twoDaysLater.dayPartitions();
            assertEquals(DAY.minusDays(1), partitions.getFirst());
            assertEquals(DAY.plusDays(4), partitions.getLast());

            twoDaysLater.run();
            assertEquals(partitions, twoDaysLater.dayPartitions(), "running again changes nothing");

            days.set(1);
            twoDaysLater.run();
            assertEquals(DAY.plusDays(1), twoDaysLater.dayPartitions().getFirst(), "the next run keeps the new days");
            assertEquals(List.of(DAY.plusDays(1).toString()), TestDatabase.firstColumn(db,
                    "SELECT DATE(collected_at) FROM samples ORDER BY collected_at"));
            assertTrue(TestDatabase.firstColumn(db, "SELECT PARTITION_NAME FROM information_schema.PARTITIONS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'samples'").contains("p_future"));
        }
    }
}
