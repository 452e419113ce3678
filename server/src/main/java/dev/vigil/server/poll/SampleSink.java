package dev.vigil.server.poll;

import java.time.Instant;

/** Where the poller hands every good snapshot: the next stage (store). */
public interface SampleSink {
    void accept(long hostId, AgentSnapshot snapshot, Instant receivedAt);
}
