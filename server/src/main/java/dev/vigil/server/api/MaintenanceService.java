package dev.vigil.server.api;

import dev.vigil.server.auth.Role;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.MaintenanceStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

/**
 * {@code /api/v1/maintenance}: windows in which the gate suppresses every action on a host
 * ({@code host_id}) or on every host of a group ({@code group}).
 */
public final class MaintenanceService implements Access.Resource {
    private final MaintenanceStore windows;
    private final AuditLog audit;
    private final Clock clock;

    public MaintenanceService(MaintenanceStore windows, AuditLog audit, Clock clock) {
        this.windows = windows;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/maintenance", Role.VIEWER, this::list)
                .get("/api/v1/maintenance/{id}", Role.VIEWER, this::get)
                .post("/api/v1/maintenance", Role.OPERATOR, this::create)
                .delete("/api/v1/maintenance/{id}", Role.OPERATOR, this::delete);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        windows.current(clock.instant()).forEach(w -> array.add(json(w)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    /** One window, also one that is over. */
    private void get(ServerRequest request, ServerResponse response) {
        long id = HostsService.id(request, "maintenance window");
        JsonBodies.send(response, Status.OK_200, json(windows.find(id).orElseThrow(
                () -> ApiErrors.notFound("no maintenance window " + id))));
    }

    private static JsonObject json(MaintenanceStore.Window w) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", w.id());
        w.hostId().ifPresentOrElse(id -> json.add("host_id", id), () -> json.addNull("host_id"));
        IncidentsService.optional(json, "group", w.group());
        return json.add("starts_at", w.startsAt().toString()).add("ends_at", w.endsAt().toString())
                .add("reason", w.reason()).add("created_by", w.createdBy()).build();
    }

    /** {@code {host_id | group, starts_at?, ends_at, reason}}; {@code starts_at} defaults to now. */
    private void create(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Optional<Long> hostId = body.get("host_id") instanceof JsonNumber n && n.isIntegral()
                ? Optional.of(n.longValue()) : Optional.empty();
        Optional<String> group = body.get("group") instanceof JsonString g && !g.getString().isBlank()
                ? Optional.of(g.getString()) : Optional.empty();
        if (hostId.isPresent() == group.isPresent()) {
            throw ApiErrors.badRequest("give either \"host_id\" or \"group\"");
        }
        Instant startsAt = TimeParams.instant("starts_at", JsonBodies.time(body, "starts_at")).orElse(clock.instant());
        Instant endsAt = TimeParams.instant("ends_at", JsonBodies.time(body, "ends_at"))
                .orElseThrow(() -> ApiErrors.badRequest("\"ends_at\" is required"));
        if (!endsAt.isAfter(startsAt)) {
            throw ApiErrors.badRequest("\"ends_at\" must be after \"starts_at\"");
        }
        if (!(body.get("reason") instanceof JsonString given) || given.getString().isBlank()
                || given.getString().length() > 500) {
            throw ApiErrors.badRequest("\"reason\" must be 1 to 500 characters");
        }
        String reason = given.getString();
        MaintenanceStore.Window window = windows.create(hostId, group, startsAt, endsAt, reason, Access.who(request));
        audit.record(clock.instant(), Access.who(request), "maintenance_created",
                hostId.map(id -> "host " + id).orElse("group " + group.orElse("")), startsAt + " – " + endsAt + ": "
                        + reason);
        response.header(HeaderNames.LOCATION, "/api/v1/maintenance/" + window.id());
        JsonBodies.send(response, Status.CREATED_201, json(window));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        long id = HostsService.id(request, "maintenance window");
        if (!windows.delete(id)) {
            throw ApiErrors.notFound("no maintenance window " + id);
        }
        audit.record(clock.instant(), Access.who(request), "maintenance_deleted", "window " + id, "");
        response.status(Status.NO_CONTENT_204).send();
    }
}
