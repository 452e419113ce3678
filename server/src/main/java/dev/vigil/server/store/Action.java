package dev.vigil.server.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A remediation and what became of it. The id exists before anything is dispatched, so that an agent can
 * refuse to run the same action twice.
 *
 * @param status      the gate's verdict ({@code pending_approval}, {@code approved}, {@code rejected},
 *                    {@code suppressed}, {@code dry_run}), then the act stage's: {@code dispatched} while the agent
 *                    is asked, and its answer {@code succeeded}, {@code failed} or {@code refused}
 * @param detail      why it has this status, in words
 * @param requestedBy {@code rules}, or the user who asked for it by hand
 * @param decidedBy   {@code gate}, or the user who approved or rejected it
 * @param incidentId  the incident it addresses, when there is one
 * @param attempts    how often it was sent to the agent (always under the same id)
 */
public record Action(UUID id, long hostId, String type, String target, Optional<Long> pid,
                     Optional<Double> createTime, String reason, String status, String detail, String requestedBy,
                     Optional<String> decidedBy, Instant createdAt, Instant updatedAt, Optional<Long> incidentId,
                     int attempts, Optional<Instant> dispatchedAt, Optional<Instant> finishedAt) {
    public static final String PENDING_APPROVAL = "pending_approval";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String SUPPRESSED = "suppressed";
    public static final String DRY_RUN = "dry_run";
    public static final String DISPATCHED = "dispatched";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";
    public static final Set<String> STATUSES = Set.of(PENDING_APPROVAL, APPROVED, REJECTED, SUPPRESSED, DRY_RUN,
            DISPATCHED, SUCCEEDED, FAILED, REFUSED);
    public static final Set<String> TYPES = Set.of("restart_service", "kill_process", "reboot");

    /** A new action as the gate judged it, before anything was sent. */
    public static Action judged(UUID id, long hostId, String type, String target, Optional<Long> pid,
                                Optional<Double> createTime, String reason, String status, String detail,
                                String requestedBy, String decidedBy, Instant at, Optional<Long> incidentId) {
        return new Action(id, hostId, type, target, pid, createTime, reason, status, detail, requestedBy,
                Optional.of(decidedBy), at, at, incidentId, 0, Optional.empty(), Optional.empty());
    }

    /** The subject of its audit entries. */
    public String auditSubject() {
        return "action " + id;
    }
}
