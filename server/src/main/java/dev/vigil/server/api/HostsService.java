package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.vigil.server.poll.HostStatus;
import dev.vigil.server.poll.FleetView;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.History;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/** {@code /api/v1/hosts}: the registry of agents. Tokens go in, never come out. */
public final class HostsService implements Access.Resource {
    /** A chart needs no more; a request for more points is refused rather than served slowly. */
    static final int MAX_POINTS = 10_000;
    private static final int TARGET_POINTS = 1_500;

    private final HostStore hosts;
    private final Poller poller;
    private final FleetView view;
    private final History history;
    private final Clock clock;

    /** @param view the hosts' status on any instance; {@code poller} polls those of this one */
    public HostsService(HostStore hosts, Poller poller, FleetView view, History history, Clock clock) {
        this.hosts = hosts;
        this.poller = poller;
        this.view = view;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/hosts", Role.VIEWER, this::list)
                .post("/api/v1/hosts", Role.ADMIN, HostJson.INPUT, this::create)
                .get("/api/v1/hosts/{id}", Role.VIEWER, this::get)
                .put("/api/v1/hosts/{id}", Role.ADMIN, HostJson.INPUT, this::update)
                .delete("/api/v1/hosts/{id}", Role.ADMIN, this::delete)
                .get("/api/v1/hosts/{id}/latest", Role.VIEWER, this::latest)
                .post("/api/v1/hosts/{id}/refresh", Role.OPERATOR, this::refresh)
                .get("/api/v1/hosts/{id}/metrics", Role.VIEWER, Access.Input.query("from", "to", "step"),
                        this::metrics);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        hosts.list().forEach(host -> array.add(withState(host)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    private void create(ServerRequest request, ServerResponse response) {
        Host host = write(() -> hosts.create(HostJson.create(JsonBodies.object(request))));
        response.header(HeaderNames.LOCATION, "/api/v1/hosts/" + host.id());
        JsonBodies.send(response, Status.CREATED_201, withState(host));
    }

    private void get(ServerRequest request, ServerResponse response) {
        long id = id(request);
        JsonBodies.send(response, Status.OK_200, withState(hosts.find(id).orElseThrow(() -> missing(id))));
    }

    private void update(ServerRequest request, ServerResponse response) {
        long id = id(request);
        Host host = write(() -> hosts.update(id, HostJson.update(JsonBodies.object(request)))
                .orElseThrow(() -> missing(id)));
        JsonBodies.send(response, Status.OK_200, HostJson.write(host));
    }

    /** The host's reachability and its latest snapshot ({@code null} until the first good poll). */
    private void latest(ServerRequest request, ServerResponse response) {
        long id = id(request);
        Host host = hosts.find(id).orElseThrow(() -> missing(id));
        HostStatus status = view.status(id).orElseThrow(() -> missing(id));
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("host_id", id)
                .add("name", host.name())
                .add("status", status.state())
                .add("consecutive_failures", status.consecutiveFailures());
        status.lastPoll().ifPresentOrElse(poll -> json.add("last_poll", JSON.createObjectBuilder()
                .add("at", poll.at().toString())
                .add("outcome", poll.outcome().label())
                .add("detail", poll.detail())
                .add("latency_ms", poll.latencyMillis())), () -> json.addNull("last_poll"));
        status.latestReceivedAt().ifPresentOrElse(at -> json.add("received_at", at.toString()),
                () -> json.addNull("received_at"));
        status.latest().ifPresentOrElse(snapshot -> json.add("snapshot", snapshot.document()),
                () -> json.addNull("snapshot"));
        JsonBodies.send(response, Status.OK_200, json.build());
    }

    /** Polls the host now, as its schedule would (stored, to the rules), and answers how the poll ended. */
    private void refresh(ServerRequest request, ServerResponse response) throws InterruptedException {
        long id = id(request);
        HostStatus.LastPoll poll = poller.refresh(id).orElseThrow(() -> hosts.find(id).isPresent()
                ? new ApiErrors.Refusal(Status.CONFLICT_409, "host " + id + " is polled by another instance of this"
                        + " server (replicas, docs/scaling.md): refresh it there, or wait for its next poll")
                : missing(id));
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("host_id", id)
                .add("status", poller.status(id).map(HostStatus::state).orElse("unknown"))
                .add("outcome", poll.outcome().label())
                .add("detail", poll.detail())
                .add("latency_ms", poll.latencyMillis())
                .add("at", poll.at().toString())
                .build());
    }

    /**
     * The host's history between {@code from} (default: an hour ago) and {@code to} (default: now), one point
     * per {@code step} (default: what keeps the series near 1,500 points, never below the poll interval).
     */
    private void metrics(ServerRequest request, ServerResponse response) {
        long id = id(request);
        Host host = hosts.find(id).orElseThrow(() -> missing(id));
        Queries.Range asked = Queries.range(request, clock.instant(), Duration.ofHours(1));
        Instant from = asked.from();
        Instant to = asked.to();
        Duration range = Duration.between(from, to);
        Duration step = Queries.step(request, "step").orElseGet(() -> Duration.ofSeconds(
                Math.max(poller.interval(host), (range.toSeconds() + TARGET_POINTS - 1) / TARGET_POINTS)));
        if (range.toSeconds() / step.toSeconds() > MAX_POINTS) {
            throw ApiErrors.badRequest("that is more than " + MAX_POINTS + " points: choose a larger step");
        }
        JsonArrayBuilder points = JSON.createArrayBuilder();
        for (History.Point point : history.points(id, from, to, step)) {
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("t", point.time().toString())
                    .add("samples", point.samples())
                    .add("backfilled", point.backfilled());
            point.avgMax().forEach((gauge, avgMax) -> {
                JsonObjectBuilder pair = JSON.createObjectBuilder();
                addNumber(pair, "avg", avgMax[0]);
                addNumber(pair, "max", avgMax[1]);
                json.add(gauge, pair);
            });
            points.add(json);
        }
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("host_id", id)
                .add("from", from.toString())
                .add("to", to.toString())
                .add("step_seconds", step.toSeconds())
                .add("points", points)
                .build());
    }

    private static void addNumber(JsonObjectBuilder json, String name, Double value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, Math.round(value * 100.0) / 100.0);
        }
    }

    private JsonObject withState(Host host) {
        String state = view.status(host.id()).map(HostStatus::state).orElse("unknown");
        return JSON.createObjectBuilder(HostJson.write(host)).add("effective_interval_seconds", poller.interval(host))
                .add("status", state).build();
    }

    private void delete(ServerRequest request, ServerResponse response) {
        long id = id(request);
        if (!hosts.delete(id)) {
            throw missing(id);
        }
        response.status(Status.NO_CONTENT_204).send();
    }

    private static Host write(java.util.function.Supplier<Host> write) {
        try {
            return write.get();
        } catch (HostStore.DuplicateName e) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, e.getMessage());
        }
    }

    static long id(ServerRequest request) {
        return id(request, "host");
    }

    /** The numeric {@code {id}} of the path; anything else names no {@code what}. */
    static long id(ServerRequest request, String what) {
        String value = request.path().pathParameters().get("id");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiErrors.notFound("no " + what + " " + value);
        }
    }

    private static ApiErrors.Refusal missing(long id) {
        return ApiErrors.notFound("no host " + id);
    }
}
