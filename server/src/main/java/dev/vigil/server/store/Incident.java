package dev.vigil.server.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One condition of one host from its opening to its resolution.
 *
 * @param state           {@code open}, {@code acknowledged} (someone is on it) or {@code resolved}
 * @param occurrences     how often the rules raised or changed it while it was open
 * @param actionId        its latest remediation, with that action's status
 * @param remediatedAt    when a remediation of it succeeded
 * @param recoverySeconds from detection (first seen) to the rules seeing the condition clear; absent while open
 *                        and when someone resolved it by hand
 */
public record Incident(long id, long hostId, String key, String kind, String subject, String severity,
                       String message, String state, int occurrences, Instant firstSeen, Instant lastSeen,
                       Optional<String> acknowledgedBy, Optional<Instant> resolvedAt, Optional<String> resolvedBy,
                       Optional<UUID> actionId, Optional<String> actionStatus, Optional<Instant> remediatedAt,
                       Optional<Double> recoverySeconds) {
    public static final Set<String> STATES = Set.of("open", "acknowledged", "resolved");
}
