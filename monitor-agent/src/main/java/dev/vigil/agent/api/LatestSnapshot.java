package dev.vigil.agent.api;

import java.util.Optional;
import java.util.function.Consumer;

import dev.vigil.agent.collect.Snapshot;
import dev.vigil.agent.history.SnapshotHistory;

/**
 * Holds the latest snapshot, rendered once per sample so that every request is a copy of ready bytes; the
 * history keeps those same JSON bytes.
 */
public final class LatestSnapshot implements Consumer<Snapshot> {

    record Rendered(Snapshot snapshot, byte[] json, byte[] prometheus) {
    }

    private final SnapshotHistory history;
    private volatile Rendered current;

    public LatestSnapshot(SnapshotHistory history) {
        this.history = history;
    }

    @Override
    public void accept(Snapshot snapshot) {
        Rendered rendered = new Rendered(snapshot, SnapshotJson.render(snapshot), PrometheusText.render(snapshot));
        current = rendered;
        history.add(snapshot.collectedAt(), rendered.json());
    }

    Optional<Rendered> rendered() {
        return Optional.ofNullable(current);
    }

    public Optional<Snapshot> snapshot() {
        return rendered().map(Rendered::snapshot);
    }
}
