package dev.vigil.server.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.LatestSamples;

/**
 * Every registered host with its status, on any instance: the hosts this instance polls from the poller's memory,
 * and with replicas (docs/scaling.md) the others from the database — their newest stored sample, and a state
 * worked out from its age as the poller would (down once {@code failuresUntilDown} intervals passed without one).
 * Alone on its database an instance polls every host, and no database is asked.
 */
public final class FleetView {
    /** How far back a host polled elsewhere is looked for. */
    private static final Duration LOOK_BACK = Duration.ofHours(1);
    /** Time for a poll and its write to the database, besides the intervals. */
    private static final Duration SLACK = Duration.ofSeconds(10);

    private final Poller poller;
    private final HostStore hosts;
    private final LatestSamples stored;
    private final BooleanSupplier alone;
    private final int failuresUntilDown;
    private final Clock clock;

    /** @param alone whether this instance is the only one on its database (and so polls every host) */
    public FleetView(Poller poller, HostStore hosts, LatestSamples stored, BooleanSupplier alone,
                     int failuresUntilDown, Clock clock) {
        this.poller = poller;
        this.hosts = hosts;
        this.stored = stored;
        this.alone = alone;
        this.failuresUntilDown = failuresUntilDown;
        this.clock = clock;
    }

    /** Every registered host with its status. */
    public List<Poller.Polled> fleet() {
        List<Poller.Polled> polled = poller.fleet();
        if (alone.getAsBoolean()) {
            return polled;
        }
        Map<Long, Poller.Polled> byId = new HashMap<>();
        polled.forEach(p -> byId.put(p.host().id(), p));
        Instant now = clock.instant();
        Map<Long, LatestSamples.Latest> latest = stored.since(now.minus(LOOK_BACK));
        List<Poller.Polled> fleet = new ArrayList<>(polled);
        for (Host host : hosts.list()) {
            if (!byId.containsKey(host.id())) {
                fleet.add(new Poller.Polled(host, fromStore(host, Optional.ofNullable(latest.get(host.id())), now)));
            }
        }
        return fleet;
    }

    /** The host's status, from the poller or, for a host another instance polls, from the database. */
    public Optional<HostStatus> status(long hostId) {
        Optional<HostStatus> polled = poller.status(hostId);
        if (polled.isPresent() || alone.getAsBoolean()) {
            return polled;
        }
        Instant now = clock.instant();
        return hosts.find(hostId).map(host -> fromStore(host,
                Optional.ofNullable(stored.since(now.minus(LOOK_BACK)).get(hostId)), now));
    }

    private HostStatus fromStore(Host host, Optional<LatestSamples.Latest> latest, Instant now) {
        if (latest.isEmpty()) {
            return HostStatus.unknown(host.id());
        }
        Duration quiet = Duration.ofSeconds((long) poller.interval(host) * failuresUntilDown).plus(SLACK);
        boolean up = latest.get().receivedAt().plus(quiet).isAfter(now);
        return new HostStatus(host.id(), up ? "up" : "down", Optional.empty(), 0,
                Optional.of(latest.get().snapshot()), Optional.of(latest.get().receivedAt()));
    }
}
