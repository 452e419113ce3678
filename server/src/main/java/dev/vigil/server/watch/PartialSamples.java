package dev.vigil.server.watch;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.poll.SampleSink;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Turns an agent's unit and probe events into partial samples for the rules: the host's latest polled snapshot
 * with that one service (by {@code unit}) or probe (by {@code name}) replaced by the event's state, and with the
 * events since that poll applied before it. A poll is the whole truth again, except for events the agent saw after
 * it took that snapshot (a poll answered just before a unit failed can arrive just after the event): those are
 * applied to the poll on its way to the rules ({@link #newerEventsApplied}), so an incident an event opened is
 * not resolved by an older poll and opened again by the next. Partial samples go to the decide stage only — never
 * stored, never in the fleet view — and carry the time of the poll they are based on, so that no time-based rule
 * (a CPU streak) advances on figures that were not measured again.
 *
 * <p>The poller and the host's stream call in on their own threads: each hands its sample to the rules under the
 * host's lock, so the rules get them in the order they were made. Handed over after the lock, a poll made before
 * an event could reach the rules after it, and a unit the event showed restarting would be failed again for them:
 * a second restart (seen once in RemediationIT).
 */
public final class PartialSamples implements SampleSink {
    private static final Logger LOG = Logger.getLogger(PartialSamples.class.getName());
    /**
     * Events kept per host until a poll covers them; a host that changes more often than this between two polls
     * is flapping, and its next poll is the truth.
     */
    private static final int MAX_PENDING = 64;

    /** A host's latest poll (the same snapshot the poller keeps) and the events no poll has covered yet. */
    private static final class Host {
        AgentSnapshot polled;
        Instant polledAt;
        final ArrayDeque<AgentEvent.Change> changes = new ArrayDeque<>();
    }

    private final SampleSink rules;
    private final Map<Long, Host> hosts = new ConcurrentHashMap<>();

    /** @param rules the decide stage: every poll goes there through this, and every partial sample */
    public PartialSamples(SampleSink rules) {
        this.rules = rules;
    }

    /** A poll, on its way to the rules with the events that came after its snapshot was taken applied. */
    @Override
    public void accept(long hostId, AgentSnapshot.Parsed polled, Instant at) {
        Host host = hosts.computeIfAbsent(hostId, id -> new Host());
        synchronized (host) {
            host.polled = polled.snapshot();
            host.polledAt = at;
            Instant taken = polled.snapshot().collectedAt();
            host.changes.removeIf(change -> !change.at().isAfter(taken));
            rules.accept(hostId, host.changes.isEmpty() ? polled : patched(hostId, polled, host), at);
        }
    }

    /**
     * Hands the host's partial sample with this change to the rules; false when the host has no polled snapshot
     * yet (its first poll will tell the rules everything).
     */
    boolean apply(long hostId, AgentEvent.Change change) {
        Host host = hosts.get(hostId);
        if (host == null) {
            return false;
        }
        synchronized (host) {
            if (host.polled == null) {
                return false;
            }
            host.changes.addLast(change);
            if (host.changes.size() > MAX_PENDING) {
                host.changes.removeFirst();
            }
            rules.accept(hostId, patched(hostId, reread(hostId, host.polled), host), host.polledAt);
        }
        return true;
    }

    private static AgentSnapshot.Parsed patched(long hostId, AgentSnapshot.Parsed base, Host host) {
        Map<String, JsonValue> members = new HashMap<>(base.members());
        for (AgentEvent.Change change : host.changes) {
            if (change.at().isAfter(base.snapshot().collectedAt())) {
                members.put(change.member(), replaced(hostId, members.get(change.member()), change));
            }
        }
        return new AgentSnapshot.Parsed(base.snapshot(), members);
    }

    private static AgentSnapshot.Parsed reread(long hostId, AgentSnapshot latest) {
        try {
            return AgentSnapshot.read(latest.body());
        } catch (AgentSnapshot.BadPayload e) {
            // the poller kept it because it passed this very check
            throw new IllegalStateException("the kept snapshot of host " + hostId + " no longer reads: "
                    + e.getMessage(), e);
        }
    }

    /** The array with the element of the change's name replaced, or the element added when none has it. */
    private static JsonArray replaced(long hostId, JsonValue array, AgentEvent.Change change) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        boolean found = false;
        if (array instanceof JsonArray elements) {
            for (JsonValue element : elements) {
                boolean same = element instanceof JsonObject object
                        && change.name().equals(object.get(change.key()) instanceof jakarta.json.JsonString s
                        ? s.getString() : null);
                out.add(same ? change.element() : element);
                found |= same;
            }
        }
        if (!found) {
            LOG.fine(() -> "An event of host " + hostId + " names " + change.member() + " " + change.name()
                    + ", which the last poll did not report: added");
            out.add(change.element());
        }
        return out.build();
    }

    void forget(long hostId) {
        hosts.remove(hostId);
    }
}
