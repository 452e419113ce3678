package dev.vigil.server.poll;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.vigil.server.Histogram;

/** Counters of the poller for /metrics: polls by outcome, their duration, skipped overlapping ticks. */
public final class PollStats {
    private final Map<PollOutcome, LongAdder> byOutcome = new EnumMap<>(PollOutcome.class);
    private final Histogram duration = new Histogram();
    private final LongAdder skipped = new LongAdder();

    PollStats() {
        for (PollOutcome outcome : PollOutcome.values()) {
            byOutcome.put(outcome, new LongAdder());
        }
    }

    void record(PollOutcome outcome, long nanos) {
        byOutcome.get(outcome).increment();
        duration.observeNanos(nanos);
    }

    void skipped() {
        skipped.increment();
    }

    public long polls(PollOutcome outcome) {
        return byOutcome.get(outcome).sum();
    }

    public Histogram duration() {
        return duration;
    }

    /** Ticks at which the previous poll of the same host was still running, so none was started. */
    public long skippedOverlaps() {
        return skipped.sum();
    }
}
