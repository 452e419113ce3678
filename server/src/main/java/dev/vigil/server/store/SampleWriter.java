package dev.vigil.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.server.Histogram;
import dev.vigil.server.model.AgentSnapshot;
import io.helidon.dbclient.DbClient;

/**
 * Stores samples in batches: the poller's threads only enqueue, one writer thread sends multi-row batches.
 * While the database is away the rows wait in a bounded buffer and go out when it is back. When the buffer
 * fills, the detail of the oldest rows goes first and whole rows (headline gauges) last; every dropped item
 * is counted and logged.
 */
public final class SampleWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SampleWriter.class.getName());

    /**
     * @param maxRows        rows the buffer holds at most (headline gauges are small: ~200 bytes a row)
     * @param maxDetailBytes compressed detail the buffer holds at most
     */
    public record Settings(int batchSize, Duration flushInterval, int maxRows, long maxDetailBytes) {
        public static final Settings DEFAULTS = new Settings(1000, Duration.ofMillis(500), 2_000_000,
                256L * 1024 * 1024);
    }

    /** The headline gauges of a sample: all that a row keeps of the snapshot besides its compressed detail. */
    record Headline(float cpuPercent, float memoryPercent, float swapPercent, float load1, float load5, float load15,
                    float fullestDiskPercent, Double recvRate, Double sentRate) {
    }

    /** @param backfilled fetched from the agent's history to fill a gap, not polled live */
    record Row(long hostId, Instant collectedAt, Instant receivedAt, Headline headline, byte[] detail,
               boolean backfilled) {
        Row withoutDetail() {
            return new Row(hostId, collectedAt, receivedAt, headline, null, backfilled);
        }
    }

    private record Counters(Instant at, long recv, long sent) {
    }

    private final DbClient db;
    private final String insertSql;
    private final Settings settings;
    private final Deque<Row> buffer = new ArrayDeque<>();
    private final Map<Long, Counters> lastCounters = new ConcurrentHashMap<>();
    private final Thread writer;
    private long bufferedDetailBytes;
    private volatile boolean running = true;
    private boolean databaseAway;

    private final LongAdder written = new LongAdder();
    private final Histogram batchDuration = new Histogram();
    private final Histogram storeLatency = new Histogram();
    private final LongAdder droppedDetails = new LongAdder();
    private final LongAdder droppedRows = new LongAdder();

    public SampleWriter(DbClient db, String insertSql, Settings settings) {
        this.db = db;
        this.insertSql = insertSql;
        this.settings = settings;
        this.writer = Thread.ofPlatform().name("vigil-sample-writer").daemon().start(this::writeLoop);
    }

    public void accept(long hostId, AgentSnapshot snapshot, Instant receivedAt) {
        Counters now = counters(snapshot);
        enqueue(List.of(row(hostId, snapshot, lastCounters.put(hostId, now), now, receivedAt, false)));
    }

    /**
     * Stores samples of the past that a gap left out, marked as backfilled, oldest first; their rates are
     * between one another (the first has none), and the live samples' counters are left alone. A sample whose
     * host and time are stored already is not stored again (the primary key; the insert ignores it).
     */
    public void backfill(long hostId, List<AgentSnapshot> snapshots, Instant receivedAt) {
        List<Row> rows = new ArrayList<>(snapshots.size());
        Counters before = null;
        for (AgentSnapshot snapshot : snapshots) {
            Counters now = counters(snapshot);
            rows.add(row(hostId, snapshot, before, now, receivedAt, true));
            before = now;
        }
        enqueue(rows);
    }

    private static Counters counters(AgentSnapshot snapshot) {
        return new Counters(snapshot.collectedAt(), snapshot.netRecvBytes(), snapshot.netSentBytes());
    }

    private static Row row(long hostId, AgentSnapshot snapshot, Counters before, Counters now, Instant receivedAt,
                           boolean backfilled) {
        Headline headline = new Headline((float) snapshot.cpuPercent(), (float) snapshot.memoryPercent(),
                (float) snapshot.swapPercent(), (float) snapshot.load1(), (float) snapshot.load5(),
                (float) snapshot.load15(), (float) snapshot.fullestDiskPercent(), rate(before, now, Counters::recv),
                rate(before, now, Counters::sent));
        return new Row(hostId, snapshot.collectedAt(), receivedAt, headline, Gzip.compress(snapshot.body()),
                backfilled);
    }

    private void enqueue(List<Row> rows) {
        synchronized (buffer) {
            for (Row row : rows) {
                buffer.addLast(row);
                bufferedDetailBytes += row.detail().length;
            }
            shed();
            if (buffer.size() >= settings.batchSize()) {
                buffer.notifyAll();
            }
        }
    }

    /** Bytes per second between two readings of a counter; none across a counter reset or a clock step back. */
    private static Double rate(Counters before, Counters now, java.util.function.ToLongFunction<Counters> counter) {
        if (before == null) {
            return null;
        }
        double seconds = Duration.between(before.at(), now.at()).toMillis() / 1000.0;
        long delta = counter.applyAsLong(now) - counter.applyAsLong(before);
        return seconds > 0 && delta >= 0 ? delta / seconds : null;
    }

    /** Keeps the buffer within its bounds: detail of the oldest rows first, then the oldest rows. */
    private void shed() {
        if (bufferedDetailBytes > settings.maxDetailBytes()) {
            long shedDetails = 0;
            var rows = buffer.iterator();
            List<Row> kept = new ArrayList<>(buffer.size());
            while (rows.hasNext()) {
                Row row = rows.next();
                if (bufferedDetailBytes > settings.maxDetailBytes() && row.detail() != null) {
                    bufferedDetailBytes -= row.detail().length;
                    row = row.withoutDetail();
                    shedDetails++;
                }
                kept.add(row);
            }
            buffer.clear();
            buffer.addAll(kept);
            droppedDetails.add(shedDetails);
            LOG.warning("Sample buffer full: dropped the detail of the " + shedDetails + " oldest samples ("
                    + buffer.size() + " samples waiting for the database)");
        }
        int shedRows = 0;
        while (buffer.size() > settings.maxRows()) {
            Row dropped = buffer.removeFirst();
            if (dropped.detail() != null) {
                bufferedDetailBytes -= dropped.detail().length;
            }
            shedRows++;
        }
        if (shedRows > 0) {
            droppedRows.add(shedRows);
            LOG.warning("Sample buffer full: dropped the " + shedRows + " oldest samples");
        }
    }

    private void writeLoop() {
        long backoffMillis = 500;
        while (running || bufferDepth() > 0) {
            List<Row> batch = take();
            if (batch.isEmpty()) {
                continue;
            }
            try {
                write(batch);
                backoffMillis = 500;
                if (databaseAway) {
                    databaseAway = false;
                    LOG.info("The database is back: writing the " + (bufferDepth() + batch.size())
                            + " buffered samples");
                }
            } catch (SQLException | RuntimeException e) {
                requeue(batch);
                if (!databaseAway) {
                    databaseAway = true;
                    LOG.log(Level.WARNING, "Samples cannot be written (" + e.getMessage() + "); they wait in the"
                            + " buffer (" + bufferDepth() + " now) and go out when the database is back");
                }
                if (!running) {
                    LOG.warning(bufferDepth() + " samples were not written before shutdown");
                    return;
                }
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
    }

    private List<Row> take() {
        synchronized (buffer) {
            // Wait for a full batch or the flush interval, whichever comes first: one insert per sample
            // would cost a commit each.
            long deadline = System.nanoTime() + settings.flushInterval().toNanos();
            long remaining;
            while (buffer.size() < settings.batchSize() && running
                    && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(buffer, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            List<Row> batch = new ArrayList<>(Math.min(buffer.size(), settings.batchSize()));
            while (!buffer.isEmpty() && batch.size() < settings.batchSize()) {
                Row row = buffer.removeFirst();
                if (row.detail() != null) {
                    bufferedDetailBytes -= row.detail().length;
                }
                batch.add(row);
            }
            return batch;
        }
    }

    private void requeue(List<Row> batch) {
        synchronized (buffer) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                Row row = batch.get(i);
                buffer.addFirst(row);
                if (row.detail() != null) {
                    bufferedDetailBytes += row.detail().length;
                }
            }
            shed();
        }
    }

    private void write(List<Row> batch) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = db.unwrap(Connection.class);
             PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (Row row : batch) {
                Headline h = row.headline();
                insert.setLong(1, row.hostId());
                insert.setTimestamp(2, Timestamp.from(row.collectedAt()));
                insert.setTimestamp(3, Timestamp.from(row.receivedAt()));
                insert.setFloat(4, h.cpuPercent());
                insert.setFloat(5, h.memoryPercent());
                insert.setFloat(6, h.swapPercent());
                insert.setFloat(7, h.load1());
                insert.setFloat(8, h.load5());
                insert.setFloat(9, h.load15());
                insert.setFloat(10, h.fullestDiskPercent());
                setNullable(insert, 11, h.recvRate());
                setNullable(insert, 12, h.sentRate());
                if (row.detail() == null) {
                    insert.setNull(13, Types.BLOB);
                } else {
                    insert.setBytes(13, row.detail());
                }
                insert.setBoolean(14, row.backfilled());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        written.add(batch.size());
        batchDuration.observeNanos(System.nanoTime() - started);
        Instant committed = Instant.now();
        for (Row row : batch) {
            storeLatency.observeNanos(Math.max(0, Duration.between(row.receivedAt(), committed).toNanos()));
        }
    }

    private static void setNullable(PreparedStatement insert, int index, Double value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.DOUBLE);
        } else {
            insert.setDouble(index, value);
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int bufferDepth() {
        synchronized (buffer) {
            return buffer.size();
        }
    }

    public long written() {
        return written.sum();
    }

    public Histogram batchDuration() {
        return batchDuration;
    }

    /** From the poll's answer received to its row committed. */
    public Histogram storeLatency() {
        return storeLatency;
    }

    public long droppedDetails() {
        return droppedDetails.sum();
    }

    public long droppedRows() {
        return droppedRows.sum();
    }

    /** Writes what is buffered (for as long as the database takes, up to 30 s), then stops. */
    @Override
    public void close() {
        running = false;
        synchronized (buffer) {
            buffer.notifyAll();
        }
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
