package dev.vigil.agent.api;

import java.util.Optional;
import java.util.function.Consumer;

import dev.vigil.agent.collect.Snapshot;

/** Holds the latest snapshot, rendered once per sample so that every request is a copy of ready bytes. */
public final class LatestSnapshot implements Consumer<Snapshot> {

    record Rendered(Snapshot snapshot, byte[] json, byte[] prometheus) {
    }

    private volatile Rendered current;

    @Override
    public void accept(Snapshot snapshot) {
        current = new Rendered(snapshot, SnapshotJson.render(snapshot), PrometheusText.render(snapshot));
    }

    Optional<Rendered> rendered() {
        return Optional.ofNullable(current);
    }

    public Optional<Snapshot> snapshot() {
        return rendered().map(Rendered::snapshot);
    }
}
