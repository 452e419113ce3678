package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/** Actions, and the counts the gate asks for before it lets one through. */
public final class ActionStore {
    private final DbClient db;

    public ActionStore(DbClient db) {
        this.db = db;
    }

    public void insert(Action a) {
        db.execute().namedInsert("insert-action", a.id().toString(), a.hostId(), a.type(), a.target(),
                a.pid().orElse(null), a.createTime().orElse(null), a.reason(), a.status(), a.detail(),
                a.requestedBy(), a.decidedBy().orElse(null), Timestamp.from(a.createdAt()),
                Timestamp.from(a.updatedAt()), a.incidentId().orElse(null));
    }

    /** Marks an approved (or already dispatched) action as sent once more; false when it is neither any more. */
    public boolean dispatching(UUID id, Instant at) {
        return db.execute().namedUpdate("dispatch-action", Timestamp.from(at), Timestamp.from(at), id.toString()) > 0;
    }

    /**
     * Records the agent's answer to a dispatched action and its audit entry in one transaction, so nobody sees the
     * outcome without who reported it; false (and nothing written) when the action was not dispatched.
     */
    public boolean finish(UUID id, String status, String detail, Instant at, AuditLog audit, String actor,
                          String subject, String auditDetail) {
        DbTransaction tx = db.transaction();
        try {
            boolean finished = tx.namedUpdate("finish-action", status, clip(detail), Timestamp.from(at),
                    Timestamp.from(at), id.toString()) > 0;
            if (finished) {
                audit.record(tx, at, actor, "action_" + status, subject, auditDetail);
            }
            tx.commit();
            return finished;
        } catch (RuntimeException e) {
            try {
                tx.rollback();
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** Approved or dispatched actions without an outcome: after a restart they are sent (again), same ids. */
    /** The host's actions approved or dispatched and not finished, oldest first. */
    public List<Action> unfinished(long hostId) {
        return db.execute().namedQuery("select-unfinished-actions", hostId).map(ActionStore::action).toList();
    }

    /** Moves an action from one status to another; false when it was not in {@code from} any more. */
    public boolean move(UUID id, String from, String to, String detail, String by, Instant at) {
        return db.execute().namedUpdate("update-action-status", to, clip(detail), by, Timestamp.from(at), id.toString(),
                from) > 0;
    }

    public Optional<Action> find(UUID id) {
        return db.execute().namedGet("select-action", id.toString()).map(ActionStore::action);
    }

    /**
     * Newest first; {@code status}, {@code hostId} and the creation time (from inclusive, to exclusive) filter when
     * present.
     */
    public List<Action> list(Optional<String> status, Optional<Long> hostId, Optional<Instant> from,
                             Optional<Instant> to, int limit) {
        Timestamp since = from.map(Timestamp::from).orElse(null);
        Timestamp until = to.map(Timestamp::from).orElse(null);
        return db.execute().namedQuery("select-actions", status.orElse(null), status.orElse(null),
                hostId.orElse(null), hostId.orElse(null), since, since, until, until, limit)
                .map(ActionStore::action).toList();
    }

    /** Actions on this target since then that count against its budget (all but rejected and suppressed). */
    public long countForTarget(long hostId, String type, String target, Instant since) {
        return count("count-target-actions", hostId, type, target, Timestamp.from(since));
    }

    /** Reboots of this host approved since then. */
    public long countReboots(long hostId, Instant since) {
        return count("count-host-reboots", hostId, Timestamp.from(since));
    }

    /** Reboots of other hosts of the group approved, in flight or done since then: those hosts are rebooting. */
    public long countGroupReboots(String group, long exceptHostId, Instant since) {
        return count("count-group-reboots", group, exceptHostId, Timestamp.from(since));
    }

    private long count(String statement, Object... params) {
        return db.execute().namedGet(statement, params).map(row -> row.column("n").get(Long.class)).orElse(0L);
    }

    private static String clip(String detail) {
        return detail.length() > 1000 ? detail.substring(0, 1000) : detail;
    }

    private static Action action(DbRow row) {
        return new Action(UUID.fromString(row.column("id").get(String.class)), row.column("host_id").get(Long.class),
                row.column("type").get(String.class), row.column("target").get(String.class),
                Optional.ofNullable(row.column("pid").get(Long.class)),
                Optional.ofNullable(row.column("create_time").get(Double.class)),
                row.column("reason").get(String.class), row.column("status").get(String.class),
                row.column("detail").get(String.class), row.column("requested_by").get(String.class),
                Optional.ofNullable(row.column("decided_by").get(String.class)),
                IncidentStore.instant(row, "created_at"), IncidentStore.instant(row, "updated_at"),
                Optional.ofNullable(row.column("incident_id").get(Long.class)),
                row.column("attempts").get(Integer.class), IncidentStore.optionalInstant(row, "dispatched_at"),
                IncidentStore.optionalInstant(row, "finished_at"));
    }
}
