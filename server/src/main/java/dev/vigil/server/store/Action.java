package dev.vigil.server.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A remediation and what became of it. The id exists before anything is dispatched, so that an agent can
 * refuse to run the same action twice.
 *
 * @param status      {@code pending_approval}, {@code approved}, {@code rejected}, {@code suppressed} or
 *                    {@code dry_run} (dispatching adds its own states)
 * @param detail      why it has this status, in words
 * @param requestedBy {@code rules}, or the user who asked for it by hand
 * @param decidedBy   {@code gate}, or the user who approved or rejected it
 */
public record Action(UUID id, long hostId, String type, String target, Optional<Long> pid,
                     Optional<Double> createTime, String reason, String status, String detail, String requestedBy,
                     Optional<String> decidedBy, Instant createdAt, Instant updatedAt) {
    public static final String PENDING_APPROVAL = "pending_approval";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String SUPPRESSED = "suppressed";
    public static final String DRY_RUN = "dry_run";
    public static final Set<String> STATUSES = Set.of(PENDING_APPROVAL, APPROVED, REJECTED, SUPPRESSED, DRY_RUN);
    public static final Set<String> TYPES = Set.of("restart_service", "kill_process", "reboot");
}
