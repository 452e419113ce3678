package dev.vigil.server.store;

import java.util.OptionalLong;

import io.helidon.dbclient.DbClient;

/** Numbers a server run leaves for the next one ({@code server_state}), each read once and forgotten. */
public final class ServerState {
    private final DbClient db;

    public ServerState(DbClient db) {
        this.db = db;
    }

    /** The value left under {@code name}, which is removed: a later run must not take it for its own. */
    public OptionalLong take(String name) {
        OptionalLong value = db.execute().namedGet("select-server-state", name)
                .map(row -> OptionalLong.of(row.column("value").get(Long.class))).orElse(OptionalLong.empty());
        db.execute().namedDelete("delete-server-state", name);
        return value;
    }

    public void put(String name, long value) {
        db.execute().namedInsert("put-server-state", name, value);
    }
}
