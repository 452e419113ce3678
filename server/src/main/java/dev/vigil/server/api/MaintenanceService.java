package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.MaintenanceStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/maintenance}: windows in which the gate suppresses every action on a host
 * ({@code host_id}) or on every host of a group ({@code group}).
 */
public final class MaintenanceService implements Access.Resource {
    /** A window starts and ends within this much of now, which also keeps it in the database's time range. */
    static final Duration REACH = Duration.ofDays(366);

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
                .post("/api/v1/maintenance", Role.OPERATOR, Access.Input.body("host_id", "group", "starts_at",
                        "ends_at", "reason"), this::create)
                .delete("/api/v1/maintenance/{id}", Role.OPERATOR, this::delete);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
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
        JsonObjectBuilder json = JSON.createObjectBuilder().add("id", w.id());
        w.hostId().ifPresentOrElse(id -> json.add("host_id", id), () -> json.addNull("host_id"));
        IncidentsService.optional(json, "group", w.group());
        return json.add("starts_at", w.startsAt().toString()).add("ends_at", w.endsAt().toString())
                .add("reason", w.reason()).add("created_by", w.createdBy()).build();
    }

    /** {@code {host_id | group, starts_at?, ends_at, reason}}; {@code starts_at} defaults to now. */
    private void create(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Optional<Long> hostId = JsonBodies.whole(body, "host_id", 1, Long.MAX_VALUE);
        Optional<String> group = JsonBodies.text(body, "group", 255).filter(g -> !g.isBlank());
        if (hostId.isPresent() == group.isPresent()) {
            throw ApiErrors.badRequest("give either \"host_id\" or \"group\"");
        }
        Instant now = clock.instant();
        Instant startsAt = withinReach(now, "starts_at", JsonBodies.instant(body, "starts_at").orElse(now));
        Instant endsAt = withinReach(now, "ends_at", JsonBodies.instant(body, "ends_at")
                .orElseThrow(() -> ApiErrors.badRequest("\"ends_at\" is required")));
        if (!endsAt.isAfter(startsAt)) {
            throw ApiErrors.badRequest("\"ends_at\" must be after \"starts_at\"");
        }
        String reason = JsonBodies.text(body, "reason", 500).filter(r -> !r.isBlank())
                .orElseThrow(() -> ApiErrors.badRequest("\"reason\" must be 1 to 500 characters"));
        MaintenanceStore.Window window = windows.create(hostId, group, startsAt, endsAt, reason, Access.who(request));
        audit.record(clock.instant(), Access.who(request), "maintenance_created",
                hostId.map(id -> "host " + id).orElse("group " + group.orElse("")), startsAt + " – " + endsAt + ": "
                        + reason);
        response.header(HeaderNames.LOCATION, "/api/v1/maintenance/" + window.id());
        JsonBodies.send(response, Status.CREATED_201, json(window));
    }

    private static Instant withinReach(Instant now, String name, Instant at) {
        if (at.isBefore(now.minus(REACH)) || at.isAfter(now.plus(REACH))) {
            throw ApiErrors.badRequest("\"" + name + "\" must be within " + REACH.toDays() + " days of now");
        }
        return at;
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
