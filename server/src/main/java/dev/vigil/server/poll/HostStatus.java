package dev.vigil.server.poll;

import dev.vigil.server.model.AgentSnapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * What the server knows of a host right now: reachability from the last polls and the latest snapshot.
 *
 * @param state               {@code unknown} until the first poll, then {@code up} or {@code down}
 * @param consecutiveFailures failed polls since the last success
 */
public record HostStatus(long hostId, String state, Optional<LastPoll> lastPoll, int consecutiveFailures,
                         Optional<AgentSnapshot> latest, Optional<Instant> latestReceivedAt) {

    /** The last poll: when, how it ended, why (for failures), how long it took. */
    public record LastPoll(Instant at, PollOutcome outcome, String detail, long latencyMillis) {
    }

    static HostStatus unknown(long hostId) {
        return new HostStatus(hostId, "unknown", Optional.empty(), 0, Optional.empty(), Optional.empty());
    }
}
