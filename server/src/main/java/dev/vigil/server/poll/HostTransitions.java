package dev.vigil.server.poll;

import java.time.Instant;

/** Told when a host goes down (after the failed polls that make it so) and when it is up again. */
public interface HostTransitions {
    void down(long hostId, Instant since, String reason);

    void up(long hostId);
}
