package dev.vigil.server.poll;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the poller for /metrics: polls by outcome and a latency histogram. */
public final class PollStats {
    /** Upper bounds of the latency buckets, seconds (Prometheus histogram {@code le}). */
    public static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<PollOutcome, LongAdder> byOutcome = new EnumMap<>(PollOutcome.class);
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyMicros = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    PollStats() {
        for (PollOutcome outcome : PollOutcome.values()) {
            byOutcome.put(outcome, new LongAdder());
        }
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(PollOutcome outcome, long latencyNanos) {
        byOutcome.get(outcome).increment();
        double seconds = latencyNanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets[i].increment();
            }
        }
        latencyCount.increment();
        latencyMicros.add(latencyNanos / 1000);
    }

    void skipped() {
        skipped.increment();
    }

    public long polls(PollOutcome outcome) {
        return byOutcome.get(outcome).sum();
    }

    /** Cumulative count of polls at most {@code BUCKETS[i]} seconds long. */
    public long bucket(int i) {
        return buckets[i].sum();
    }

    public long latencyCount() {
        return latencyCount.sum();
    }

    public double latencySumSeconds() {
        return latencyMicros.sum() / 1e6;
    }

    /** Ticks at which the previous poll of the same host was still running, so none was started. */
    public long skippedOverlaps() {
        return skipped.sum();
    }
}
