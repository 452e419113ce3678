package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** Who or what decided each step: the rules, the gate, a user. Append-only. */
public final class AuditLog {
    /**
     * @param address where the call came from, for calls to the API
     * @param result  {@code ok}, {@code refused}, {@code denied} (authentication or role), {@code failed} (a login)
     */
    public record Entry(long id, Instant at, String actor, String event, String subject, String detail,
                        Optional<String> address, Optional<String> result) {
    }

    private final DbClient db;

    public AuditLog(DbClient db) {
        this.db = db;
    }

    public void record(Instant at, String actor, String event, String subject, String detail) {
        record(db.execute(), at, actor, event, subject, detail);
    }

    /** The same entry, written inside a caller's transaction. */
    void record(DbExecute in, Instant at, String actor, String event, String subject, String detail) {
        in.namedInsert("insert-audit", Timestamp.from(at), clip(actor, 255), event, clip(subject, 255),
                clip(detail, 2000));
    }

    /** A call to the API: who, what, from where, and what came of it. */
    public void record(Instant at, String actor, String event, String subject, String detail, String address,
                       String result) {
        db.execute().namedInsert("insert-audit-from", Timestamp.from(at), clip(actor, 255), event, clip(subject, 255),
                clip(detail, 2000), clip(address, 64), result);
    }

    /** Newest first, filtered by actor, event and time when given. */
    public List<Entry> find(Optional<String> actor, Optional<String> event, Optional<Instant> from,
                            Optional<Instant> to, int limit) {
        Timestamp since = from.map(Timestamp::from).orElse(null);
        Timestamp until = to.map(Timestamp::from).orElse(null);
        return db.execute().namedQuery("select-audit-filtered", actor.orElse(null), actor.orElse(null),
                event.orElse(null), event.orElse(null), since, since, until, until, limit).map(AuditLog::entry).toList();
    }

    private static String clip(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }

    /** Everything recorded about one subject ({@code action <id>}, {@code incident <id>}), oldest first. */
    public List<Entry> of(String subject) {
        return db.execute().namedQuery("select-audit-of", subject).map(AuditLog::entry).toList();
    }

    private static Entry entry(DbRow row) {
        return new Entry(row.column("id").get(Long.class), IncidentStore.instant(row, "at"),
                row.column("actor").get(String.class), row.column("event").get(String.class),
                row.column("subject").get(String.class), row.column("detail").get(String.class),
                Optional.ofNullable(row.column("address").get(String.class)),
                Optional.ofNullable(row.column("result").get(String.class)));
    }
}
