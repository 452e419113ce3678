package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** Who or what decided each step: the rules, the gate, a user. Append-only. */
public final class AuditLog {
    public record Entry(long id, Instant at, String actor, String event, String subject, String detail) {
    }

    private final DbClient db;

    public AuditLog(DbClient db) {
        this.db = db;
    }

    public void record(Instant at, String actor, String event, String subject, String detail) {
        db.execute().namedInsert("insert-audit", Timestamp.from(at), actor, event, subject,
                detail.length() > 2000 ? detail.substring(0, 2000) : detail);
    }

    public List<Entry> latest(int limit) {
        return db.execute().namedQuery("select-audit", limit).map(AuditLog::entry).toList();
    }

    /** Everything recorded about one subject ({@code action <id>}, {@code incident <id>}), oldest first. */
    public List<Entry> of(String subject) {
        return db.execute().namedQuery("select-audit-of", subject).map(AuditLog::entry).toList();
    }

    private static Entry entry(DbRow row) {
        return new Entry(row.column("id").get(Long.class), IncidentStore.instant(row, "at"),
                row.column("actor").get(String.class), row.column("event").get(String.class),
                row.column("subject").get(String.class), row.column("detail").get(String.class));
    }
}
