package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

/**
 * The events of every instance, in the database ({@code events}): what fans them out to every instance's clients
 * (docs/scaling.md). An append takes its ids from {@code event_counter}, whose row it holds locked until it
 * commits, so ids are contiguous and commit in order: a reader that sees an id has seen every smaller one.
 */
public final class EventStore {
    private final DbClient db;

    /** An event to append: its JSON {@code data} as clients get it. */
    public record Pending(String type, Instant at, String data) {
    }

    /** An appended event. */
    public record Stored(long id, String type, Instant at, String origin, String data) {
    }

    public EventStore(DbClient db) {
        this.db = db;
    }

    /** Appends the events in order, in one transaction; answers the id of the last one. */
    public long append(String origin, List<Pending> events) {
        DbTransaction tx = db.transaction();
        try {
            long id = tx.namedGet("lock-event-counter").map(row -> row.column("last").get(Long.class))
                    .orElseThrow(() -> new IllegalStateException("event_counter has no row 'events'"));
            for (Pending event : events) {
                tx.namedInsert("insert-event", ++id, event.type(), Timestamp.from(event.at()), origin, event.data());
            }
            tx.namedUpdate("advance-event-counter", id);
            tx.commit();
            return id;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /** Up to {@code most} events after {@code id}, oldest first. */
    public List<Stored> after(long id, int most) {
        return db.execute().namedQuery("select-events-after", id, most).map(row -> new Stored(
                row.column("id").get(Long.class), row.column("type").get(String.class),
                row.column("at").get(Timestamp.class).toInstant(), row.column("origin").get(String.class),
                row.column("data").get(String.class))).toList();
    }

    /** The last id given out. */
    public long lastId() {
        return db.execute().namedGet("select-last-event-id").map(row -> row.column("last").get(Long.class))
                .orElseThrow(() -> new IllegalStateException("event_counter has no row 'events'"));
    }

    /** Forgets events from before {@code before}, up to 10,000 at a time; answers how many. */
    public long prune(Instant before) {
        return db.execute().namedDelete("prune-events", Timestamp.from(before));
    }
}
