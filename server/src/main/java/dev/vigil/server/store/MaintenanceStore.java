package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** Maintenance windows: while one covers a host (by id or by its group), no action runs on it. */
public final class MaintenanceStore {
    /** Exactly one of {@code hostId} and {@code group} is present. */
    public record Window(long id, Optional<Long> hostId, Optional<String> group, Instant startsAt, Instant endsAt,
                         String reason, String createdBy) {
    }

    private final DbClient db;

    public MaintenanceStore(DbClient db) {
        this.db = db;
    }

    /** The new window, as stored (with its id). */
    public Window create(Optional<Long> hostId, Optional<String> group, Instant startsAt, Instant endsAt,
                         String reason, String by) {
        return db.execute().namedGet("insert-maintenance", hostId.orElse(null), group.orElse(null),
                Timestamp.from(startsAt), Timestamp.from(endsAt), reason, by).map(MaintenanceStore::window)
                .orElseThrow(() -> new IllegalStateException("the new maintenance window was not returned"));
    }

    public Optional<Window> find(long id) {
        return db.execute().namedGet("select-maintenance-window", id).map(MaintenanceStore::window);
    }

    public boolean delete(long id) {
        return db.execute().namedDelete("delete-maintenance", id) > 0;
    }

    /** Windows not over yet at {@code now}. */
    public List<Window> current(Instant now) {
        return db.execute().namedQuery("select-maintenance", Timestamp.from(now)).map(MaintenanceStore::window)
                .toList();
    }

    private static Window window(DbRow row) {
        return new Window(row.column("id").get(Long.class), Optional.ofNullable(row.column("host_id").get(Long.class)),
                Optional.ofNullable(row.column("host_group").get(String.class)),
                IncidentStore.instant(row, "starts_at"), IncidentStore.instant(row, "ends_at"),
                row.column("reason").get(String.class), row.column("created_by").get(String.class));
    }

    public boolean covers(long hostId, Optional<String> group, Instant at) {
        return db.execute().namedGet("count-active-maintenance", Timestamp.from(at), Timestamp.from(at), hostId,
                group.orElse(null)).map(row -> row.column("n").get(Long.class)).orElse(0L) > 0;
    }
}
