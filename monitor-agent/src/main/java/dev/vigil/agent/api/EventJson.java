package dev.vigil.agent.api;

import java.time.Instant;

import dev.vigil.agent.collect.Snapshot.ProbeResult;
import dev.vigil.agent.collect.Snapshot.ServiceState;
import dev.vigil.agent.events.EventLog;

/**
 * The data of the agent's events: the snapshot's {@code services[]} or {@code probes[]} element with the event's
 * {@code id} and {@code at} first, on one line.
 */
public final class EventJson {
    private EventJson() {
    }

    public static EventLog.Data unit(ServiceState state) {
        return (id, at) -> SnapshotJson.service(header(id, at), state).endObject().toBytes();
    }

    public static EventLog.Data probe(ProbeResult result) {
        return (id, at) -> SnapshotJson.probe(header(id, at), result).endObject().toBytes();
    }

    private static JsonWriter header(String id, Instant at) {
        return new JsonWriter(256).beginObject().name("id").value(id).name("at").value(at.toString());
    }
}
