package dev.vigil.server.store;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClient;

/**
 * Keeps {@code samples} to the retention window by whole days: every partition holds one day, the job adds
 * the partitions of the next days ahead of time and drops the days that fell out of the window — a
 * metadata operation, however many rows the day had. Each run reads the number of days anew (the settings
 * change it at run time).
 */
public final class Retention implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Retention.class.getName());
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'p'yyyyMMdd");
    private static final int DAYS_AHEAD = 2;
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 90;

    private final DbClient db;
    private final IntSupplier days;
    private final Clock clock;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-retention").daemon().factory());

    /** @param days the days kept, {@value #MIN_DAYS}–{@value #MAX_DAYS} (the stored setting) */
    public Retention(DbClient db, IntSupplier days, Clock clock) {
        this.db = db;
        this.days = days;
        this.clock = clock;
    }

    /** Runs every hour from an hour from now (the server runs it once itself at start, where a failure stops it). */
    public void start() {
        schedule.scheduleWithFixedDelay(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Retention did not run; it tries again in an hour", e);
            }
        }, 1, 1, TimeUnit.HOURS);
    }

    /** Adds the missing day partitions up to {@value #DAYS_AHEAD} days ahead and drops the expired ones. */
    public synchronized void run() {
        int days = this.days.getAsInt();
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.systemDefault()));
        List<LocalDate> existing = dayPartitions();
        LocalDate next = existing.isEmpty() ? today.minusDays(days) : existing.getLast().plusDays(1);
        for (LocalDate day = next; !day.isAfter(today.plusDays(DAYS_AHEAD)); day = day.plusDays(1)) {
            ddl(Database.statement("add-day-partition").replace("{name}", NAME.format(day))
                    .replace("{bound}", day.plusDays(1) + " 00:00:00"));
        }
        LocalDate oldestKept = today.minusDays(days);
        int dropped = 0;
        for (LocalDate day : existing) {
            if (day.isBefore(oldestKept)) {
                ddl(Database.statement("drop-day-partition").replace("{name}", NAME.format(day)));
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.info("Retention (" + days + " days): dropped the samples of " + dropped + " day(s) before "
                    + oldestKept);
        }
    }

    List<LocalDate> dayPartitions() {
        return db.execute().namedQuery("select-sample-partitions")
                .map(row -> row.column("name").get(String.class))
                .filter(name -> name.matches("p\\d{8}"))
                .map(name -> LocalDate.parse(name, NAME))
                .toList();
    }

    private void ddl(String statement) {
        db.execute().createDmlStatement(statement).execute();
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
