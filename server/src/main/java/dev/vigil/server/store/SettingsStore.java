package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * The stored settings ({@code settings}, V8), read once at start and then kept in memory for every reader (the
 * gate's dry run on every decision, retention, the poller), and written through here. The environment only
 * fills in what is not stored yet; a stored value that cannot be read stops the start rather than be replaced.
 */
public final class SettingsStore {
    /** A stored value that is out of its range or not a value of its kind. */
    public static final class Unreadable extends IllegalStateException {
        Unreadable(String column, Object value, String mustBe) {
            super("the stored setting " + column + " is " + value + ", but it must be " + mustBe + "; set it in the"
                    + " settings table of the database (UPDATE settings SET " + column + " = … WHERE id = 1) and"
                    + " start again");
        }
    }

    private final DbClient db;
    private volatile StoredSettings current;

    private SettingsStore(DbClient db, StoredSettings current) {
        this.db = db;
        this.current = current;
    }

    /** Stores {@code firstValues} where nothing is stored yet, then reads what is stored, strictly. */
    public static SettingsStore open(DbClient db, StoredSettings firstValues) {
        db.execute().namedInsert("seed-settings", firstValues.retentionDays(), firstValues.dryRun() ? 1 : 0,
                firstValues.pollIntervalSeconds());
        DbRow row = db.execute().namedGet("select-settings").orElseThrow();
        return new SettingsStore(db, new StoredSettings(
                whole(row, "retention_days", Retention.MIN_DAYS, Retention.MAX_DAYS),
                dryRun(row),
                whole(row, "poll_interval_seconds", Host.MIN_INTERVAL_SECONDS, Host.MAX_INTERVAL_SECONDS)));
    }

    /** The settings in force. */
    public StoredSettings current() {
        return current;
    }

    /** Stores the settings, then puts them in force. */
    public void write(StoredSettings next, String by, Instant at) {
        db.execute().namedUpdate("update-settings", next.retentionDays(), next.dryRun() ? 1 : 0,
                next.pollIntervalSeconds(), Timestamp.from(at), by.length() > 255 ? by.substring(0, 255) : by);
        current = next;
    }

    private static int whole(DbRow row, String column, int min, int max) {
        Integer value = row.column(column).get(Integer.class);
        if (value == null || value < min || value > max) {
            throw new Unreadable(column, value, "a whole number from " + min + " to " + max);
        }
        return value;
    }

    /** Only 0 or 1: any other value is no answer to "may Vigil act?", and is never taken for "yes". */
    private static boolean dryRun(DbRow row) {
        Number value = row.column("dry_run").get(Number.class);
        if (value == null || value.intValue() != 0 && value.intValue() != 1) {
            throw new Unreadable("dry_run", value, "1 (true) or 0 (false)");
        }
        return value.intValue() == 1;
    }
}
