package dev.vigil.server.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.vigil.server.model.Role;
import dev.vigil.server.store.Reports;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code GET /api/v1/reports/{overview|incidents|actions|hosts}?from&to&host&group&table&format}: aggregates of
 * incidents and actions over a range (default the last 24 h, at most 366 days), as JSON
 * {@code {report, from, to, filters, tables, series, notes}} or as CSV — the same tables, one section each
 * ({@code # name}, the header row, the rows, a blank line), or one table alone with {@code table}. Reads only.
 */
public final class ReportsService implements Access.Resource {
    static final Duration MAX_RANGE = Duration.ofDays(366);
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    private static final Set<String> FORMATS = Set.of("json", "csv");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    static final List<String> KINDS = List.of("overview", "incidents", "actions", "hosts");
    static final String FAILED_POLLS_NOTE = "failed polls are not stored: host_down_incidents counts the host-down"
            + " incidents (each after 3 failed polls in a row) and down_seconds how long they lasted";
    private static final Map<String, List<String>> NOTES = Map.of("hosts", List.of(FAILED_POLLS_NOTE));

    /** One table of a report, computed only when it is asked for; a series has a row for every day. */
    private record Part(String name, boolean series, Supplier<Reports.Table> table) {
    }

    private final Reports reports;
    private final Clock clock;

    public ReportsService(Reports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        Access.Input input = Access.Input.query("from", "to", "host", "group", "table", "format");
        for (String kind : KINDS) {
            routes.get("/api/v1/reports/" + kind, Role.VIEWER, input,
                    (request, response) -> serve(kind, request, response));
        }
    }

    /** The parts of a report, in the order they are shown. */
    private List<Part> parts(String kind, Reports.Scope scope, Instant now) {
        Supplier<Reports.Actions> actions = once(() -> reports.actions(scope));
        Supplier<Reports.Table> opened = once(() -> reports.incidentsPerDay(scope));
        Part mttr = new Part("mttr", true, () -> reports.recoveryPerDay(scope));
        Part byOutcome = new Part("by_outcome", false, () -> actions.get().byOutcome());
        Part actionsPerDay = new Part("actions", true, () -> actions.get().perDay());
        return switch (kind) {
            case "overview" -> List.of(new Part("totals", false, () -> totals(opened.get(), actions.get(),
                    reports.recovery(scope))), byOutcome, new Part("incidents_opened", true, opened), actionsPerDay,
                    mttr);
            case "incidents" -> List.of(new Part("by_host", false, () -> reports.incidentsByHost(scope)),
                    new Part("by_rule", false, () -> reports.incidentsByRule(scope)),
                    new Part("by_severity", false, () -> reports.incidentsBySeverity(scope)),
                    new Part("incidents_opened", true, opened));
            case "actions" -> List.of(new Part("by_type", false, () -> actions.get().byType()), byOutcome,
                    actionsPerDay, mttr);
            case "hosts" -> List.of(new Part("hosts", false, () -> reports.hosts(scope, now)));
            default -> throw new IllegalArgumentException("no report " + kind);
        };
    }

    /** The overview's one row: incidents opened (by severity), actions, and the recoveries of the whole range. */
    private static Reports.Table totals(Reports.Table opened, Reports.Actions actions, Reports.Recovery recovery) {
        long[] incidents = new long[3];
        for (List<Object> day : opened.rows()) {
            for (int i = 0; i < incidents.length; i++) {
                incidents[i] += (Long) day.get(i + 1);
            }
        }
        return new Reports.Table(List.of("incidents", "critical", "warning", "actions", "recoveries",
                "median_recovery_seconds", "p90_recovery_seconds"), List.of(Arrays.asList(incidents[0],
                incidents[1], incidents[2], actions.total(), recovery.recoveries(), recovery.medianSeconds(),
                recovery.p90Seconds())));
    }

    private void serve(String kind, ServerRequest request, ServerResponse response) {
        Instant now = clock.instant();
        Queries.Range range = Queries.range(request, now, DEFAULT_RANGE);
        if (Duration.between(range.from(), range.to()).compareTo(MAX_RANGE) > 0) {
            throw ApiErrors.badRequest("\"from\" and \"to\" must be at most " + MAX_RANGE.toDays() + " days apart");
        }
        Optional<Long> host = Queries.id(request, "host");
        Optional<String> group = Queries.text(request, "group");
        boolean csv = Queries.oneOf(request, "format", FORMATS).orElse("json").equals("csv");
        List<Part> parts = parts(kind, new Reports.Scope(range.from(), range.to(), host, group), now);
        Optional<String> table = Queries.oneOf(request, "table", parts.stream().map(Part::name)
                .collect(Collectors.toSet()));
        List<Part> chosen = parts.stream().filter(part -> table.map(part.name()::equals).orElse(true)).toList();
        if (csv) {
            response.status(Status.OK_200)
                    .header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8")
                    .header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"vigil-" + kind + "-"
                            + FILE_TIME.format(range.from()) + "-" + FILE_TIME.format(range.to()) + ".csv\"")
                    .send(csv(chosen, table.isEmpty()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonObjectBuilder filters = JSON.createObjectBuilder();
        host.ifPresentOrElse(id -> filters.add("host", id), () -> filters.addNull("host"));
        IncidentsService.optional(filters, "group", group);
        JsonObjectBuilder tables = JSON.createObjectBuilder();
        JsonObjectBuilder series = JSON.createObjectBuilder();
        chosen.forEach(part -> (part.series() ? series : tables).add(part.name(), json(part.table().get())));
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("report", kind)
                .add("from", range.from().toString())
                .add("to", range.to().toString())
                .add("filters", filters)
                .add("tables", tables)
                .add("series", series)
                .add("notes", JSON.createArrayBuilder(NOTES.getOrDefault(kind, List.of())))
                .build());
    }

    private static JsonArrayBuilder json(Reports.Table table) {
        JsonArrayBuilder rows = JSON.createArrayBuilder();
        for (List<Object> row : table.rows()) {
            JsonObjectBuilder object = JSON.createObjectBuilder();
            for (int i = 0; i < row.size(); i++) {
                String column = table.columns().get(i);
                switch (row.get(i)) {
                    case null -> object.addNull(column);
                    case Long whole -> object.add(column, whole);
                    case Double decimal -> object.add(column, rounded(decimal));
                    case Object text -> object.add(column, text.toString());
                }
            }
            rows.add(object);
        }
        return rows;
    }

    /**
     * RFC 4180 (CRLF, quoted where needed; a text cell that starts with = + - @ gets a leading {@code '}); each
     * table a section: {@code # name}, the header, the rows, a blank line — or, for one table, its header and
     * rows alone.
     */
    private static String csv(List<Part> parts, boolean sections) {
        StringBuilder csv = new StringBuilder();
        for (Part part : parts) {
            Reports.Table table = part.table().get();
            if (sections) {
                if (!csv.isEmpty()) {
                    csv.append("\r\n");
                }
                csv.append("# ").append(part.name()).append("\r\n");
            }
            csv.append(String.join(",", table.columns())).append("\r\n");
            for (List<Object> row : table.rows()) {
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) {
                        csv.append(',');
                    }
                    csv.append(switch (row.get(i)) {
                        case null -> "";
                        case Long whole -> whole.toString();
                        case Double decimal -> BigDecimal.valueOf(rounded(decimal)).stripTrailingZeros()
                                .toPlainString();
                        case Object text -> AuditService.cell(text.toString());
                    });
                }
                csv.append("\r\n");
            }
        }
        return csv.toString();
    }

    private static double rounded(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    /** The value, computed once, when first asked for. */
    private static <T> Supplier<T> once(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }
}
