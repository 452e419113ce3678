package dev.vigil.server.api;

import dev.vigil.server.store.AuditLog;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/** {@code GET /api/v1/audit?limit=}: who or what decided each step, newest first. */
public final class AuditService implements HttpService {
    private final AuditLog audit;

    public AuditService(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/audit", this::list);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        audit.latest(Queries.limit(request)).forEach(entry -> array.add(json(entry)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    static JsonObject json(AuditLog.Entry e) {
        return Json.createObjectBuilder().add("id", e.id()).add("at", e.at().toString()).add("actor", e.actor())
                .add("event", e.event()).add("subject", e.subject()).add("detail", e.detail()).build();
    }
}
