package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * Aggregates of incidents and actions over a time range, computed by the database (the {@code report-*} named
 * statements): no incident or action row is read into the server, only counts and percentiles — per host, per
 * rule, per day, … Per-day series have one row for every UTC day of the range, zero where nothing happened.
 */
public final class Reports {
    /** The statuses of actions in the order of their lifecycle: gate, then dispatch, then the agent's answer. */
    public static final List<String> STATUSES = List.of(Action.PENDING_APPROVAL, Action.APPROVED, Action.REJECTED,
            Action.SUPPRESSED, Action.DRY_RUN, Action.DISPATCHED, Action.SUCCEEDED, Action.FAILED, Action.REFUSED);

    /** What a report covers: {@code [from, to)}, of one host or of the hosts of one group when given. */
    public record Scope(Instant from, Instant to, Optional<Long> host, Optional<String> group) {
    }

    /**
     * One table: its columns in order and its rows, each value a {@code Long}, a {@code Double}, a
     * {@code String} or {@code null}.
     */
    public record Table(List<String> columns, List<List<Object>> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    /** What the actions of a range came to: counts by type, by outcome, and per day by outcome. */
    public record Actions(Table byType, Table byOutcome, Table perDay, long total) {
    }

    /** The recoveries of a range (incidents whose condition cleared), with the median and 90th percentile. */
    public record Recovery(long recoveries, Double medianSeconds, Double p90Seconds) {
    }

    private final DbClient db;

    public Reports(DbClient db) {
        this.db = db;
    }

    /** Incidents opened, by host: {@code host_id, host, incidents, critical, warning, unresolved}. */
    public Table incidentsByHost(Scope scope) {
        return table("report-incidents-by-host", scope, "host_id", "host", "incidents", "critical", "warning",
                "unresolved");
    }

    /** Incidents opened, by rule (the incident's key and kind): {@code key, kind, incidents, hosts, critical}. */
    public Table incidentsByRule(Scope scope) {
        return table("report-incidents-by-rule", scope, "key", "kind", "incidents", "hosts", "critical");
    }

    /** Incidents opened, by severity: {@code severity, incidents}. */
    public Table incidentsBySeverity(Scope scope) {
        return table("report-incidents-by-severity", scope, "severity", "incidents");
    }

    /** Incidents opened per day: {@code day, incidents, critical, warning}. */
    public Table incidentsPerDay(Scope scope) {
        Map<Long, List<Object>> byDay = new HashMap<>();
        query("report-incidents-by-day", params(scope)).forEach(row -> byDay.put(whole(row, "day"),
                List.of(whole(row, "incidents"), whole(row, "critical"), whole(row, "warning"))));
        return perDay(scope, List.of("incidents", "critical", "warning"), day -> byDay.getOrDefault(day,
                List.of(0L, 0L, 0L)));
    }

    /**
     * Actions created in the range: {@code by_type} ({@code type, actions}), {@code by_outcome}
     * ({@code status, actions}) and per day ({@code day, actions} and one column per status).
     */
    public Actions actions(Scope scope) {
        Map<String, Long> byType = new TreeMap<>();
        Action.TYPES.forEach(type -> byType.put(type, 0L));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        STATUSES.forEach(status -> byStatus.put(status, 0L));
        Map<Long, long[]> byDay = new HashMap<>();
        query("report-actions-by-day", params(scope)).forEach(row -> {
            long count = whole(row, "actions");
            String status = row.column("status").get(String.class);
            byType.merge(row.column("type").get(String.class), count, Long::sum);
            byStatus.merge(status, count, Long::sum);
            long[] day = byDay.computeIfAbsent(whole(row, "day"), d -> new long[STATUSES.size() + 1]);
            day[0] += count;
            int column = STATUSES.indexOf(status);
            if (column >= 0) {
                day[column + 1] += count;
            }
        });
        List<String> dayColumns = Stream.concat(Stream.of("actions"), STATUSES.stream()).toList();
        return new Actions(counts("type", "actions", byType), counts("status", "actions", byStatus),
                perDay(scope, dayColumns, day -> Arrays.stream(byDay.getOrDefault(day,
                        new long[dayColumns.size()])).boxed().map(Object.class::cast).toList()),
                byStatus.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Recoveries per day: {@code day, recoveries, median_seconds, p90_seconds} (null on a day without any). */
    public Table recoveryPerDay(Scope scope) {
        Map<Long, List<Object>> byDay = new HashMap<>();
        recovery(scope, 0, Duration.ofDays(1).toSeconds()).forEach(row -> byDay.put(whole(row, "bucket"),
                Arrays.asList(whole(row, "recoveries"), decimal(row, "median_seconds"),
                        decimal(row, "p90_seconds"))));
        return perDay(scope, List.of("recoveries", "median_seconds", "p90_seconds"),
                day -> byDay.getOrDefault(day, Arrays.asList(0L, null, null)));
    }

    /** The recoveries of the whole range. */
    public Recovery recovery(Scope scope) {
        long origin = scope.from().getEpochSecond();
        // one bucket from the start of the range past its end
        return recovery(scope, origin, scope.to().getEpochSecond() - origin + 1).stream().findFirst()
                .map(row -> new Recovery(whole(row, "recoveries"), decimal(row, "median_seconds"),
                        decimal(row, "p90_seconds")))
                .orElse(new Recovery(0, null, null));
    }

    /**
     * Hosts with incidents or actions in the range, the noisiest first: {@code host_id, host, group,
     * incidents, critical, host_down_incidents, down_seconds, actions, failed_actions}. Failed polls are not
     * stored; host-down incidents (3 failed polls in a row each) and their duration up to {@code now} stand in.
     */
    public Table hosts(Scope scope, Instant now) {
        Map<String, Object> params = params(scope);
        params.put("until", Timestamp.from(scope.to().isBefore(now) ? scope.to() : now));
        return table(query("report-hosts", params), "host_id", "host", "group", "incidents", "critical",
                "host_down_incidents", "down_seconds", "actions", "failed_actions");
    }

    private List<DbRow> recovery(Scope scope, long originSeconds, long bucketSeconds) {
        Map<String, Object> params = params(scope);
        params.put("origin", originSeconds);
        params.put("bucket", bucketSeconds);
        return query("report-recovery", params);
    }

    private Table table(String statement, Scope scope, String... columns) {
        return table(query(statement, params(scope)), columns);
    }

    private static Table table(List<DbRow> rows, String... columns) {
        List<List<Object>> values = new ArrayList<>(rows.size());
        for (DbRow row : rows) {
            List<Object> cells = new ArrayList<>(columns.length);
            for (String column : columns) {
                cells.add(cell(row.column(column).get()));
            }
            values.add(cells);
        }
        return new Table(List.of(columns), values);
    }

    private static Table counts(String key, String count, Map<String, Long> counts) {
        List<List<Object>> rows = new ArrayList<>();
        counts.forEach((name, n) -> rows.add(List.of(name, n)));
        return new Table(List.of(key, count), rows);
    }

    /** One row for every UTC day the range touches, {@code day} first (ISO date), then the day's values. */
    private static Table perDay(Scope scope, List<String> columns, LongFunction<List<Object>> values) {
        long first = LocalDate.ofInstant(scope.from(), ZoneOffset.UTC).toEpochDay();
        long last = LocalDate.ofInstant(scope.to().minusNanos(1), ZoneOffset.UTC).toEpochDay();
        List<List<Object>> rows = new ArrayList<>();
        for (long day = first; day <= last; day++) {
            List<Object> row = new ArrayList<>();
            row.add(LocalDate.ofEpochDay(day).toString());
            row.addAll(values.apply(day));
            rows.add(row);
        }
        return new Table(Stream.concat(Stream.of("day"), columns.stream()).toList(), rows);
    }

    private List<DbRow> query(String statement, Map<String, Object> params) {
        return db.execute().createNamedQuery(statement).params(params).execute().toList();
    }

    private static Map<String, Object> params(Scope scope) {
        Map<String, Object> params = new HashMap<>();
        params.put("from", Timestamp.from(scope.from()));
        params.put("to", Timestamp.from(scope.to()));
        params.put("host", scope.host().orElse(null));
        params.put("hostGroup", scope.group().orElse(null));
        return params;
    }

    /**
     * The database's numbers as {@code Long} when whole (counts, ids — MariaDB answers a SUM as a decimal), else
     * {@code Double}.
     */
    private static Object cell(Object value) {
        return switch (value) {
            case null -> null;
            case Long whole -> whole;
            case Integer whole -> whole.longValue();
            case Number n when n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 0x1p53 ->
                    n.longValue();
            case Number n -> n.doubleValue();
            default -> value.toString();
        };
    }

    private static long whole(DbRow row, String column) {
        return ((Number) row.column(column).get()).longValue();
    }

    private static Double decimal(DbRow row, String column) {
        Number value = row.column(column).get(Number.class);
        return value == null ? null : value.doubleValue();
    }
}
