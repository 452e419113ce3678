package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.time.Clock;
import java.util.Optional;

import dev.vigil.server.events.EventBus;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Incident;
import dev.vigil.server.store.IncidentStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/** {@code /api/v1/incidents}: what the rules raised, with acknowledge and resolve by hand. */
public final class IncidentsService implements Access.Resource {
    private final IncidentStore incidents;
    private final AuditLog audit;
    private final Clock clock;
    /** Acknowledging or resolving by hand is news to the UI and the bot, as the rules' changes are. */
    private final EventBus events;

    public IncidentsService(IncidentStore incidents, AuditLog audit, EventBus events, Clock clock) {
        this.events = events;
        this.incidents = incidents;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/incidents", Role.VIEWER, Access.Input.query("state", "host", "from", "to", "limit"),
                        this::list)
                .get("/api/v1/incidents/{id}", Role.VIEWER, this::get)
                .post("/api/v1/incidents/{id}/ack", Role.OPERATOR, Access.Input.body("comment"), this::acknowledge)
                .post("/api/v1/incidents/{id}/resolve", Role.OPERATOR, this::resolve);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        Queries.Period period = Queries.period(request);
        incidents.list(Queries.oneOf(request, "state", Incident.STATES), Queries.id(request, "host"), period.from(),
                period.to(), Queries.limit(request)).forEach(incident -> array.add(json(incident)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    private void get(ServerRequest request, ServerResponse response) {
        JsonBodies.send(response, Status.OK_200, json(find(request)));
    }

    /** Acknowledges with an optional {@code comment} (what the operator is doing about it), kept in the audit log. */
    private void acknowledge(ServerRequest request, ServerResponse response) {
        String comment = JsonBodies.text(JsonBodies.optionalObject(request), "comment", JsonBodies.MAX_TEXT).orElse("");
        Incident incident = find(request);
        if (!incidents.acknowledge(incident.id(), Access.who(request))) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, "incident " + incident.id() + " is " + incident.state()
                    + ": only an open incident can be acknowledged");
        }
        audit.record(clock.instant(), Access.who(request), "incident_acknowledged", "incident " + incident.id(),
                comment.isBlank() ? incident.message() : incident.message() + " — comment: " + comment);
        Incident acknowledged = incidents.find(incident.id()).orElseThrow();
        events.publish("incident_updated", acknowledged);
        JsonBodies.send(response, Status.OK_200, json(acknowledged));
    }

    private void resolve(ServerRequest request, ServerResponse response) {
        Incident incident = find(request);
        if (!incidents.resolve(incident.id(), clock.instant(), Access.who(request))) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, "incident " + incident.id() + " is resolved already");
        }
        audit.record(clock.instant(), Access.who(request), "incident_resolved", "incident " + incident.id(),
                "resolved by hand");
        Incident resolved = incidents.find(incident.id()).orElseThrow();
        events.publish("incident_resolved", resolved);
        JsonBodies.send(response, Status.OK_200, json(resolved));
    }

    private Incident find(ServerRequest request) {
        long id = HostsService.id(request, "incident");
        return incidents.find(id).orElseThrow(() -> ApiErrors.notFound("no incident " + id));
    }

    static JsonObject json(Incident i) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", i.id())
                .add("host_id", i.hostId())
                .add("key", i.key())
                .add("kind", i.kind())
                .add("subject", i.subject())
                .add("severity", i.severity())
                .add("message", i.message())
                .add("state", i.state())
                .add("occurrences", i.occurrences())
                .add("first_seen", i.firstSeen().toString())
                .add("last_seen", i.lastSeen().toString());
        optional(json, "acknowledged_by", i.acknowledgedBy());
        optional(json, "resolved_at", i.resolvedAt().map(Object::toString));
        optional(json, "resolved_by", i.resolvedBy());
        optional(json, "action_id", i.actionId().map(Object::toString));
        optional(json, "action_status", i.actionStatus());
        optional(json, "remediated_at", i.remediatedAt().map(Object::toString));
        i.recoverySeconds().ifPresentOrElse(s -> json.add("recovery_seconds", s),
                () -> json.addNull("recovery_seconds"));
        return json.build();
    }

    static void optional(JsonObjectBuilder json, String name, Optional<String> value) {
        value.ifPresentOrElse(v -> json.add(name, v), () -> json.addNull(name));
    }
}
