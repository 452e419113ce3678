package dev.vigil.server.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.server.model.AgentSnapshot;

/**
 * The headline numbers of every host's samples, for the fleet view: the last {@value #SPARK} CPU values per host (a
 * sparkline) in memory — the latest snapshot itself is the poller's — and every {@code flushEvery} a
 * {@code samples} event with the summaries that arrived since — one event for many hosts, so a fleet of thousands polled every few seconds stays a few
 * events a second.
 */
public final class SampleSummaries implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SampleSummaries.class.getName());
    public static final String EVENT = "samples";
    static final int SPARK = 30;

    /** One host's headline numbers at one poll. */
    public record Summary(long hostId, Instant at, double cpu, double memory, double disk, double load1) {
        public static Summary of(long hostId, AgentSnapshot snapshot, Instant at) {
            return new Summary(hostId, at, snapshot.cpuPercent(), snapshot.memoryPercent(),
                    snapshot.fullestDiskPercent(), snapshot.load1());
        }
    }

    /** The summaries published together. */
    public record Batch(List<Summary> samples) {
    }

    private final EventBus events;
    private final Map<Long, double[]> sparks = new ConcurrentHashMap<>();
    private final Map<Long, Summary> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    public SampleSummaries(EventBus events, Duration flushEvery) {
        this.events = events;
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("vigil-sample-events").factory());
        flusher.scheduleWithFixedDelay(this::flush, flushEvery.toMillis(), flushEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A good poll's snapshot. */
    public void accept(long hostId, AgentSnapshot snapshot, Instant at) {
        Summary summary = Summary.of(hostId, snapshot, at);
        sparks.merge(hostId, new double[] {summary.cpu()}, SampleSummaries::append);
        pending.put(hostId, summary);
    }

    /** The host's recent CPU values, oldest first; empty before its first good poll. */
    public double[] spark(long hostId) {
        return sparks.getOrDefault(hostId, new double[0]).clone();
    }

    /** A removed host leaves the fleet view. */
    public void removed(long hostId) {
        sparks.remove(hostId);
        pending.remove(hostId);
    }

    private static double[] append(double[] old, double[] next) {
        int keep = Math.min(old.length, SPARK - next.length);
        double[] spark = new double[keep + next.length];
        System.arraycopy(old, old.length - keep, spark, 0, keep);
        System.arraycopy(next, 0, spark, keep, next.length);
        return spark;
    }

    void flush() {
        try {
            if (pending.isEmpty()) {
                return;
            }
            List<Summary> batch = new ArrayList<>();
            for (Long hostId : List.copyOf(pending.keySet())) {
                Summary summary = pending.remove(hostId);
                if (summary != null) {
                    batch.add(summary);
                }
            }
            events.publish(EVENT, new Batch(batch));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot publish the samples event; the next one carries the newer values", e);
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }
}
