package dev.vigil.server.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import dev.vigil.server.model.Role;
import dev.vigil.server.store.AuditLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code GET /api/v1/audit?actor=&event=&from=&to=&limit=&format=json|csv}: who or what did each step, from where,
 * with what result; newest first. Append-only: there is no route that changes or deletes an entry.
 */
public final class AuditService implements Access.Resource {
    private static final Set<String> FORMATS = Set.of("json", "csv");

    private final AuditLog audit;

    public AuditService(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/audit", Role.ADMIN, Access.Input.query("actor", "event", "from", "to", "limit", "format"),
                this::list);
    }

    private void list(ServerRequest request, ServerResponse response) {
        List<AuditLog.Entry> entries = audit.find(Queries.text(request, "actor"), Queries.text(request, "event"),
                Queries.instant(request, "from"), Queries.instant(request, "to"), Queries.limit(request));
        if (Queries.oneOf(request, "format", FORMATS).orElse("json").equals("csv")) {
            StringBuilder csv = new StringBuilder("id,at,actor,event,subject,detail,address,result\r\n");
            for (AuditLog.Entry e : entries) {
                csv.append(e.id()).append(',').append(e.at()).append(',').append(cell(e.actor())).append(',')
                        .append(cell(e.event())).append(',').append(cell(e.subject())).append(',')
                        .append(cell(e.detail())).append(',').append(cell(e.address().orElse(""))).append(',')
                        .append(cell(e.result().orElse(""))).append("\r\n");
            }
            response.status(Status.OK_200)
                    .header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8")
                    .header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"vigil-audit.csv\"")
                    .send(csv.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        entries.forEach(entry -> array.add(json(entry)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    /** RFC 4180, and a leading = + - @ is quoted away so a spreadsheet does not run it as a formula. */
    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    static JsonObject json(AuditLog.Entry e) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("id", e.id()).add("at", e.at().toString())
                .add("actor", e.actor()).add("event", e.event()).add("subject", e.subject()).add("detail", e.detail());
        IncidentsService.optional(json, "address", e.address());
        IncidentsService.optional(json, "result", e.result());
        return json.build();
    }
}
