package dev.vigil.server.poll;

import dev.vigil.server.model.AgentSnapshot;

import java.time.Instant;

/** Where the poller hands every good answer, parsed once: the next stages (store, decide). */
public interface SampleSink {
    void accept(long hostId, AgentSnapshot.Parsed answer, Instant receivedAt);
}
