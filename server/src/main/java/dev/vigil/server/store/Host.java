package dev.vigil.server.store;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registered agent as the API shows it: without its tokens, which are write-only.
 *
 * @param intervalSeconds its own poll interval; empty: the default of the settings
 * @param hasActionToken  whether an action token is stored (never the token itself)
 */
public record Host(long id, String name, URI url, Optional<Integer> intervalSeconds, Optional<String> group,
                   Map<String, String> labels, Policy policy, boolean hasActionToken, Instant createdAt,
                   Instant updatedAt) {
    /** A poll interval, a host's own or the default, is from 5 seconds to an hour. */
    public static final int MIN_INTERVAL_SECONDS = 5;
    public static final int MAX_INTERVAL_SECONDS = 3600;

    /**
     * What the gate may let run on this host; enforced again by the agent's own policy.
     *
     * @param requireApproval restarts and kills wait for an operator's approval too (reboots always do, unless
     *                        {@code autoReboot})
     */
    public record Policy(List<String> allowedServices, List<String> killableProcesses, boolean autoReboot,
                         boolean dryRun, boolean requireApproval) {
        public static final Policy NONE = new Policy(List.of(), List.of(), false, false, false);
    }

    /**
     * What is written: a new host, or an update (where an absent token keeps the stored one).
     *
     * @param token       the read token; empty on update means unchanged
     * @param actionToken empty: unchanged on update, none on create; present and blank: remove it
     */
    public record Spec(String name, URI url, Optional<String> token, Optional<String> actionToken,
                       Optional<Integer> intervalSeconds, Optional<String> group, Map<String, String> labels,
                       Policy policy) {
    }

    /** The tokens the poller needs, decrypted. */
    public record Credentials(String token, Optional<String> actionToken) {
    }
}
