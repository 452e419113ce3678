package dev.vigil.server.gate;

import java.time.Instant;
import java.util.Optional;

/** What the gate asks of the past before it lets an action through. */
public interface History {
    /** Actions on this target since then that count against its budget. */
    long actionsOnTarget(long hostId, String type, String target, Instant since);

    /** Reboots of this host approved since then. */
    long reboots(long hostId, Instant since);

    /** Reboots of other hosts of the group approved and not yet finished since then. */
    long groupReboots(String group, long exceptHostId, Instant since);

    boolean inMaintenance(long hostId, Optional<String> group, Instant at);
}
