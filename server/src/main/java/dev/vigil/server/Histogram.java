package dev.vigil.server;

import java.util.concurrent.atomic.LongAdder;

/** A Prometheus-style histogram of durations: cumulative counts per upper bound, a count and a sum. */
public final class Histogram {
    /** Upper bounds of the buckets, seconds ({@code le}). */
    public static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();

    public Histogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void observeNanos(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets[i].increment();
            }
        }
        count.increment();
        sumMicros.add(nanos / 1000);
    }

    /** Observations of at most {@code BOUNDS[i]} seconds. */
    public long bucket(int i) {
        return buckets[i].sum();
    }

    public long count() {
        return count.sum();
    }

    public double sumSeconds() {
        return sumMicros.sum() / 1e6;
    }
}
