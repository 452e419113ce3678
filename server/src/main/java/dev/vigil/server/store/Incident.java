package dev.vigil.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One condition of one host from its opening to its resolution.
 *
 * @param state       {@code open}, {@code acknowledged} (someone is on it) or {@code resolved}
 * @param occurrences how often the rules raised or changed it while it was open
 */
public record Incident(long id, long hostId, String key, String kind, String subject, String severity,
                       String message, String state, int occurrences, Instant firstSeen, Instant lastSeen,
                       Optional<String> acknowledgedBy, Optional<Instant> resolvedAt, Optional<String> resolvedBy) {
    public static final java.util.Set<String> STATES = java.util.Set.of("open", "acknowledged", "resolved");
}
