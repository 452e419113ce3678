package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.util.Optional;
import java.util.UUID;

import dev.vigil.server.gate.Gate;
import dev.vigil.server.gate.Proposal;
import dev.vigil.server.store.Action;
import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.IncidentStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/actions}: remediations and what the gate made of them; a manual action goes through the same
 * gate as the rules' ones; pending ones are approved or rejected here.
 */
public final class ActionsService implements Access.Resource {
    /** Linux's largest PID (PID_MAX_LIMIT on 64 bits). */
    static final long MAX_PID = 4_194_304;
    /** A process's start time, in seconds since the epoch, is within the years 1970–9999 like every time. */
    private static final double MAX_CREATE_TIME = Values.LATEST.getEpochSecond();

    private final ActionStore actions;
    private final IncidentStore incidents;
    private final AuditLog audit;
    private final Gate gate;

    public ActionsService(ActionStore actions, IncidentStore incidents, AuditLog audit, Gate gate) {
        this.actions = actions;
        this.incidents = incidents;
        this.audit = audit;
        this.gate = gate;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/actions", Role.VIEWER, Access.Input.query("status", "host", "from", "to", "limit"),
                        this::list)
                .post("/api/v1/actions", Role.OPERATOR, Access.Input.body("host_id", "type", "target", "pid",
                        "create_time", "reason", "incident_id"), this::create)
                .get("/api/v1/actions/{id}", Role.VIEWER, this::get)
                .post("/api/v1/actions/{id}/approve", Role.OPERATOR, (request, response) -> decide(request, response, true))
                .post("/api/v1/actions/{id}/reject", Role.OPERATOR, (request, response) -> decide(request, response, false));
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        Queries.Period period = Queries.period(request);
        actions.list(Queries.oneOf(request, "status", Action.STATUSES), Queries.id(request, "host"), period.from(),
                        period.to(), Queries.limit(request))
                .forEach(action -> array.add(json(action)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    private void get(ServerRequest request, ServerResponse response) {
        UUID id = id(request);
        Action action = actions.find(id).orElseThrow(() -> ApiErrors.notFound("no action " + id));
        JsonArrayBuilder trail = JSON.createArrayBuilder();
        audit.of(action.auditSubject()).forEach(entry -> trail.add(AuditService.json(entry)));
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder(json(action)).add("trail", trail).build());
    }

    private void create(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        long hostId = JsonBodies.whole(body, "host_id", 1, Long.MAX_VALUE).orElseThrow(() -> ApiErrors.badRequest(
                "\"host_id\" (a host's id) is required"));
        String type = text(body, "type", 32);
        if (!Action.TYPES.contains(type)) {
            throw ApiErrors.badRequest("\"type\" must be one of " + new java.util.TreeSet<>(Action.TYPES));
        }
        boolean kill = type.equals("kill_process");
        Optional<Long> pid = JsonBodies.whole(body, "pid", 2, MAX_PID);
        Optional<Double> createTime = JsonBodies.decimal(body, "create_time", 0, MAX_CREATE_TIME);
        if (kill && (pid.isEmpty() || createTime.isEmpty())) {
            throw ApiErrors.badRequest("kill_process needs \"pid\" (above 1) and \"create_time\" (as in "
                    + "processes.top), so that a reused PID is never killed");
        }
        Optional<Long> incidentId = JsonBodies.whole(body, "incident_id", 1, Long.MAX_VALUE);
        if (incidentId.isPresent() && incidents.find(incidentId.get()).filter(i -> i.hostId() == hostId).isEmpty()) {
            throw ApiErrors.badRequest("\"incident_id\" " + incidentId.get() + " is not an incident of the host"
                    + " \"host_id\" " + hostId);
        }
        Proposal proposal = new Proposal(hostId, type, text(body, "target", 255), kill ? pid : Optional.empty(),
                kill ? createTime : Optional.empty(), text(body, "reason", 1000), incidentId);
        Action action;
        try {
            action = gate.propose(proposal, Access.who(request));
        } catch (Gate.Refused e) {
            throw ApiErrors.badRequest(e.getMessage());
        }
        response.header(HeaderNames.LOCATION, "/api/v1/actions/" + action.id());
        JsonBodies.send(response, Status.CREATED_201, json(action));
    }

    private void decide(ServerRequest request, ServerResponse response, boolean approve) {
        UUID id = id(request);
        Action action = actions.find(id).orElseThrow(() -> ApiErrors.notFound("no action " + id));
        if (approve && action.type().equals("reboot")
                && !Access.principal(request).map(p -> p.role().atLeast(Role.ADMIN)).orElse(false)) {
            throw new ApiErrors.Refusal(Status.FORBIDDEN_403, "approving a reboot needs the admin role");
        }
        try {
            Action decided = approve ? gate.approve(id, Access.who(request)) : gate.reject(id, Access.who(request));
            JsonBodies.send(response, Status.OK_200, json(decided));
        } catch (Gate.Refused e) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, e.getMessage());
        }
    }

    private static String text(JsonObject body, String name, int max) {
        return JsonBodies.text(body, name, max).filter(value -> !value.isBlank()).orElseThrow(() ->
                ApiErrors.badRequest("\"" + name + "\" must be a non-empty string"));
    }

    private static UUID id(ServerRequest request) {
        String value = request.path().pathParameters().get("id");
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.notFound("no action " + value);
        }
    }

    static JsonObject json(Action a) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", a.id().toString())
                .add("host_id", a.hostId())
                .add("type", a.type())
                .add("target", a.target())
                .add("reason", a.reason())
                .add("status", a.status())
                .add("detail", a.detail())
                .add("requested_by", a.requestedBy())
                .add("created_at", a.createdAt().toString())
                .add("updated_at", a.updatedAt().toString());
        a.pid().ifPresentOrElse(pid -> json.add("pid", pid), () -> json.addNull("pid"));
        a.createTime().ifPresentOrElse(t -> json.add("create_time", t), () -> json.addNull("create_time"));
        IncidentsService.optional(json, "decided_by", a.decidedBy());
        a.incidentId().ifPresentOrElse(id -> json.add("incident_id", id), () -> json.addNull("incident_id"));
        json.add("attempts", a.attempts());
        IncidentsService.optional(json, "dispatched_at", a.dispatchedAt().map(Object::toString));
        IncidentsService.optional(json, "finished_at", a.finishedAt().map(Object::toString));
        return json.build();
    }
}
