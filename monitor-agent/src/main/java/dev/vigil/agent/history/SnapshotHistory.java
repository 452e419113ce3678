package dev.vigil.agent.history;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.vigil.agent.AgentConfig;

/**
 * The agent's recent snapshots, each kept as the bytes {@code /api/v1/metrics} served for it, deflated (see
 * {@link SnapshotCodec}: the agent's memory is a goal of its own),
 * in the order they were taken. Bounded three ways whatever the settings: by age ({@code keep}), by count
 * ({@code keep} / sample interval) and by {@link #MAX_BYTES} of memory. With a {@link HistoryFile} the snapshots
 * outlive a restart.
 * Framework-neutral: {@link #write} answers a request's body.
 */
public final class SnapshotHistory implements AutoCloseable {
    public static final long MAX_BYTES = 8L * 1024 * 1024;
    /** Counted per kept snapshot beside its JSON: the array's header, the entry object, the deque's slot. */
    static final int OVERHEAD = 64;
    private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,30}(\\.[0-9]{1,30})?");
    private static final BigDecimal LATEST_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(3);

    /**
     * One snapshot: when it was collected, and its JSON as served (one line: it holds no newline), deflated by
     * the history's {@link SnapshotCodec}.
     *
     * @param length the JSON's length
     */
    record Kept(long collectedMillis, byte[] deflated, int length) {
        /** What it costs in memory. */
        long size() {
            return deflated.length + (long) OVERHEAD;
        }

        /** What it takes in the file: its JSON and a newline. */
        long line() {
            return length + 1L;
        }
    }

    private final Duration keep;
    private final int capacity;
    private final long maxBytes;
    private final Clock clock;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private final SnapshotCodec codec = new SnapshotCodec();
    private long bytes;
    private long lines;
    private Optional<HistoryFile> file = Optional.empty();

    SnapshotHistory(Duration keep, Duration interval, long maxBytes, Clock clock) {
        this.keep = keep;
        this.capacity = keep.isZero() ? 0 : (int) Math.clamp(keep.dividedBy(interval), 1, Integer.MAX_VALUE);
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * The history the settings ask for: {@code VIGIL_AGENT_HISTORY} at one snapshot per sample interval, and with
     * {@code VIGIL_AGENT_SAVED_HISTORY_FILE} the snapshots in that file still within the window read back first. A file
     * that cannot be read and written is a configuration error: history silently lost is worse than no start.
     */
    public static SnapshotHistory open(AgentConfig config, Clock clock) {
        SnapshotHistory history = new SnapshotHistory(config.history(), config.sampleInterval(), MAX_BYTES, clock);
        config.historyFile().ifPresent(path -> {
            try {
                history.attach(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("VIGIL_AGENT_SAVED_HISTORY_FILE " + path
                        + " cannot be read and written: " + HistoryFile.reason(e));
            }
        });
        return history;
    }

    /** Reads back what {@code path} holds within the window, then keeps appending there. */
    synchronized void attach(Path path) throws IOException {
        HistoryFile.read(path, maxBytes, (json, collectedMillis) -> keep(codec.pack(collectedMillis, json)));
        trim();
        file = Optional.of(HistoryFile.create(path, windowJson()));
    }

    /** Keeps one snapshot's rendered JSON, the bytes that were served (never re-rendered). */
    public void add(Instant collectedAt, byte[] json) {
        if (capacity == 0) {
            return;
        }
        Kept snapshot = codec.pack(collectedAt.toEpochMilli(), json);
        Optional<HistoryFile> appendTo;
        long windowLines;
        synchronized (this) {
            keep(snapshot);
            trim();
            appendTo = file;
            windowLines = lines;
        }
        // one writer: snapshots arrive from the sampler's thread only, so the file needs no lock of ours
        appendTo.ifPresent(f -> f.append(json, windowLines, this::windowJson));
    }

    private synchronized List<Kept> window() {
        return List.copyOf(kept);
    }

    private List<byte[]> windowJson() {
        return window().stream().map(codec::json).toList();
    }

    private synchronized void keep(Kept snapshot) {
        kept.addLast(snapshot);
        bytes += snapshot.size();
        lines += snapshot.line();
        while (kept.size() > capacity || bytes > maxBytes) {
            dropOldest();
        }
    }

    private void dropOldest() {
        Kept dropped = kept.removeFirst();
        bytes -= dropped.size();
        lines -= dropped.line();
    }

    /** Drops what has grown older than the window: also while no sample comes in (sampling fails). */
    private void trim() {
        long oldest = clock.millis() - keep.toMillis();
        while (!kept.isEmpty() && kept.peekFirst().collectedMillis() <= oldest) {
            dropOldest();
        }
    }

    /**
     * Writes the JSON array of the kept snapshots collected strictly after {@code since} (epoch seconds; empty:
     * all of them), oldest first: {@code [}, their JSON joined by {@code ,}, {@code ]}.
     */
    public void write(Optional<BigDecimal> since, OutputStream out) throws IOException {
        long after = since.map(SnapshotHistory::millisAtOrBefore).orElse(Long.MIN_VALUE);
        List<Kept> window;
        synchronized (this) {
            trim();
            window = window();
        }
        out.write('[');
        boolean first = true;
        for (Kept snapshot : window) {
            if (snapshot.collectedMillis() > after) {
                if (!first) {
                    out.write(',');
                }
                out.write(codec.json(snapshot));
                first = false;
            }
        }
        out.write(']');
    }

    /** The whole milliseconds at or before {@code seconds}: a snapshot is after it exactly when it is after these. */
    private static long millisAtOrBefore(BigDecimal seconds) {
        return seconds.compareTo(LATEST_MILLIS) >= 0 ? Long.MAX_VALUE
                : seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /**
     * The {@code since} of a request from its query values: none, or one integer or decimal number of epoch
     * seconds ({@code 1764540000}, {@code 1764540000.5}). Anything else is an {@link IllegalArgumentException}
     * whose message can be shown to the caller.
     */
    public static Optional<BigDecimal> since(List<String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("give since once");
        }
        String value = values.getFirst();
        if (!EPOCH_SECONDS.matcher(value).matches()) {
            throw new IllegalArgumentException("since must be a finite non-negative number of epoch seconds,"
                    + " such as 1764540000 or 1764540000.5");
        }
        return Optional.of(new BigDecimal(value));
    }

    synchronized int size() {
        return kept.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        file.ifPresent(HistoryFile::close);
    }
}
