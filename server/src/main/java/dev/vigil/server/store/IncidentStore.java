package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * Incidents, deduplicated by host and key: while one is open (or acknowledged) the same key updates it; once it
 * is resolved the next occurrence opens a new one.
 */
public final class IncidentStore {
    private final DbClient db;

    public IncidentStore(DbClient db) {
        this.db = db;
    }

    private static String openKey(long hostId, String key) {
        return hostId + ":" + key;
    }

    /** Opens an incident, or updates the open one of the same host and key. */
    public Incident raise(long hostId, String key, String kind, String subject, String severity, String message,
                          Instant at) {
        String openKey = openKey(hostId, key);
        long updated = db.execute().namedUpdate("update-open-incident", severity, message, Timestamp.from(at), openKey);
        if (updated == 0) {
            db.execute().namedInsert("insert-incident", hostId, key, kind, subject, severity, message,
                    Timestamp.from(at), Timestamp.from(at), openKey);
        }
        return db.execute().namedGet("select-open-incident", openKey).map(IncidentStore::incident).orElseThrow();
    }

    /** Resolves the open incident of this host and key, if there is one; true when there was. */
    public boolean resolveOpen(long hostId, String key, Instant at, String by) {
        return db.execute().namedUpdate("resolve-open-incident", Timestamp.from(at), by, openKey(hostId, key)) > 0;
    }

    /**
     * The rules saw the condition clear: resolves the open incident and keeps the time from detection to recovery.
     * True when there was one.
     */
    public boolean recoverOpen(long hostId, String key, Instant at, String by) {
        return db.execute().namedUpdate("recover-open-incident", Timestamp.from(at), by, openKey(hostId, key)) > 0;
    }

    public Optional<Incident> findOpen(long hostId, String key) {
        return db.execute().namedGet("select-open-incident", openKey(hostId, key)).map(IncidentStore::incident);
    }

    /** Notes the latest remediation of an incident and, once one succeeded, when. */
    public void remediation(long incidentId, UUID actionId, String status, Instant at) {
        db.execute().namedUpdate("incident-remediation", actionId.toString(), status, status, Timestamp.from(at),
                incidentId);
    }

    /** Every incident that is open or acknowledged. */
    public List<Incident> unresolved() {
        return db.execute().namedQuery("select-unresolved-incidents").map(IncidentStore::incident).toList();
    }

    public List<Incident> unresolved(long hostId) {
        return db.execute().namedQuery("select-unresolved-incidents-of-host", hostId).map(IncidentStore::incident)
                .toList();
    }

    public Optional<Incident> find(long id) {
        return db.execute().namedGet("select-incident", id).map(IncidentStore::incident);
    }

    /**
     * Newest first; {@code state}, {@code hostId} and the time of detection (first seen, from inclusive, to
     * exclusive) filter when present.
     */
    public List<Incident> list(Optional<String> state, Optional<Long> hostId, Optional<Instant> from,
                               Optional<Instant> to, int limit) {
        Timestamp since = from.map(Timestamp::from).orElse(null);
        Timestamp until = to.map(Timestamp::from).orElse(null);
        return db.execute().namedQuery("select-incidents", state.orElse(null), state.orElse(null),
                hostId.orElse(null), hostId.orElse(null), since, since, until, until, limit)
                .map(IncidentStore::incident).toList();
    }

    /** An incident with its host's name; none when the host was deleted since. */
    public record Named(Incident incident, Optional<String> host) {
    }

    /** Open and acknowledged incidents of severity critical or warning: critical first, then newest first. */
    public List<Named> warnings(int limit) {
        return db.execute().namedQuery("select-warnings", limit).map(row -> new Named(incident(row),
                Optional.ofNullable(row.column("host_name").get(String.class)))).toList();
    }

    /** An open incident becomes acknowledged; false when it is not open. */
    public boolean acknowledge(long id, String by) {
        return db.execute().namedUpdate("acknowledge-incident", by, id) > 0;
    }

    /** Resolves an incident by hand; false when it is resolved already (or does not exist). */
    public boolean resolve(long id, Instant at, String by) {
        return db.execute().namedUpdate("resolve-incident", Timestamp.from(at), by, id) > 0;
    }

    private static Incident incident(DbRow row) {
        return new Incident(row.column("id").get(Long.class), row.column("host_id").get(Long.class),
                row.column("incident_key").get(String.class), row.column("kind").get(String.class),
                row.column("subject").get(String.class), row.column("severity").get(String.class),
                row.column("message").get(String.class), row.column("state").get(String.class),
                row.column("occurrences").get(Integer.class), instant(row, "first_seen"),
                instant(row, "last_seen"), Optional.ofNullable(row.column("acknowledged_by").get(String.class)),
                optionalInstant(row, "resolved_at"),
                Optional.ofNullable(row.column("resolved_by").get(String.class)),
                Optional.ofNullable(row.column("action_id").get(String.class)).map(UUID::fromString),
                Optional.ofNullable(row.column("action_status").get(String.class)),
                optionalInstant(row, "remediated_at"),
                Optional.ofNullable(row.column("recovery_seconds").get(Double.class)));
    }

    static Optional<Instant> optionalInstant(DbRow row, String column) {
        return Optional.ofNullable(row.column(column).get(Timestamp.class)).map(Timestamp::toInstant);
    }

    static Instant instant(DbRow row, String column) {
        return row.column(column).get(Timestamp.class).toInstant();
    }
}
