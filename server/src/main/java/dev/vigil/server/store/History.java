package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * A host's stored samples, downsampled in the database to one point per step (average and maximum), and where its
 * stored samples end.
 */
public final class History {
    /** The gauges of a point, in the order the API lists them. */
    public static final List<String> GAUGES = List.of("cpu", "memory", "swap", "load1", "disk", "net_recv",
            "net_sent");

    /**
     * One bucket: its start, how many samples fell in it and how many of those were backfilled, and avg/max of every
     * gauge (null where none had one).
     */
    public record Point(Instant time, long samples, long backfilled, Map<String, Double[]> avgMax) {
    }

    private final DbClient db;

    public History(DbClient db) {
        this.db = db;
    }

    public List<Point> points(long hostId, Instant from, Instant to, Duration step) {
        long seconds = step.toSeconds();
        return db.execute().namedQuery("select-history", seconds, seconds, hostId, Timestamp.from(from),
                Timestamp.from(to)).map(History::point).toList();
    }

    /** When the host's last sample stored before {@code before} and not before {@code notBefore} was collected. */
    public Optional<Instant> lastCollectedAt(long hostId, Instant before, Instant notBefore) {
        return db.execute().namedGet("select-last-sample-time", hostId, Timestamp.from(before),
                        Timestamp.from(notBefore))
                .flatMap(row -> Optional.ofNullable(row.column("last").get(Timestamp.class)))
                .map(Timestamp::toInstant);
    }

    private static Point point(DbRow row) {
        Map<String, Double[]> gauges = new LinkedHashMap<>();
        for (String gauge : GAUGES) {
            gauges.put(gauge, new Double[] {number(row, gauge + "_avg"), number(row, gauge + "_max")});
        }
        return new Point(Instant.ofEpochSecond(((Number) row.column("bucket").get()).longValue()),
                ((Number) row.column("samples").get()).longValue(),
                ((Number) row.column("backfilled").get()).longValue(), gauges);
    }

    private static Double number(DbRow row, String column) {
        Number value = row.column(column).get(Number.class);
        return value == null ? null : value.doubleValue();
    }
}
