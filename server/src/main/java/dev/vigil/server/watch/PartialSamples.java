package dev.vigil.server.watch;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.logging.Logger;

import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.poll.HostStatus;
import dev.vigil.server.poll.SampleSink;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Turns an agent's unit and probe events into partial samples for the rules: the host's latest polled snapshot
 * with that one service (by {@code unit}) or probe (by {@code name}) replaced by the event's state, and with the
 * events since that poll applied before it. A new poll replaces them all: it is the whole truth again. Partial
 * samples go to the decide stage only — never stored, never in the fleet view — and carry the time of the poll
 * they are based on, so that no time-based rule (a CPU streak) advances on figures that were not measured again.
 */
final class PartialSamples {
    private static final Logger LOG = Logger.getLogger(PartialSamples.class.getName());

    /** The members of {@code base} with the events since it applied; replaced, never changed. */
    private record Patched(AgentSnapshot base, Map<String, JsonValue> members) {
    }

    private final LongFunction<Optional<HostStatus>> statuses;
    private final SampleSink rules;
    private final Map<Long, Patched> patched = new ConcurrentHashMap<>();

    /** @param statuses the poller's view of each host (its latest snapshot); {@code rules}: the decide stage */
    PartialSamples(LongFunction<Optional<HostStatus>> statuses, SampleSink rules) {
        this.statuses = statuses;
        this.rules = rules;
    }

    /**
     * Hands the host's partial sample with this change to the rules; false when the host has no polled snapshot
     * yet (its first poll will tell the rules everything).
     */
    boolean apply(long hostId, AgentEvent.Change change) {
        Optional<HostStatus> status = statuses.apply(hostId);
        Optional<AgentSnapshot> latest = status.flatMap(HostStatus::latest);
        Optional<Instant> polledAt = status.flatMap(HostStatus::latestReceivedAt);
        if (latest.isEmpty() || polledAt.isEmpty()) {
            return false;
        }
        Patched before = patched.get(hostId);
        Map<String, JsonValue> members;
        if (before != null && before.base() == latest.get()) {
            members = new HashMap<>(before.members());
        } else {
            try {
                members = new HashMap<>(AgentSnapshot.read(latest.get().body()).members());
            } catch (AgentSnapshot.BadPayload e) {
                // the poller kept it because it passed this very check
                throw new IllegalStateException("the kept snapshot of host " + hostId + " no longer reads: "
                        + e.getMessage(), e);
            }
        }
        members.put(change.member(), replaced(members.get(change.member()), change));
        patched.put(hostId, new Patched(latest.get(), Map.copyOf(members)));
        rules.accept(hostId, new AgentSnapshot.Parsed(latest.get(), members), polledAt.get());
        return true;
    }

    /** The array with the element of the change's name replaced, or the element added when none has it. */
    private static JsonArray replaced(JsonValue array, AgentEvent.Change change) {
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
            LOG.fine(() -> "An event names " + change.member() + " " + change.name() + ", which the last poll did"
                    + " not report: added");
            out.add(change.element());
        }
        return out.build();
    }

    void forget(long hostId) {
        patched.remove(hostId);
    }
}
