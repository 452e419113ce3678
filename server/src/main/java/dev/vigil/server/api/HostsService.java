package dev.vigil.server.api;

import java.util.Optional;
import java.util.function.Function;

import dev.vigil.server.poll.HostStatus;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** {@code /api/v1/hosts}: the registry of agents. Tokens go in, never come out. */
public final class HostsService implements HttpService {
    private final HostStore hosts;
    private final Function<Long, Optional<HostStatus>> statuses;

    public HostsService(HostStore hosts, Function<Long, Optional<HostStatus>> statuses) {
        this.hosts = hosts;
        this.statuses = statuses;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/hosts", this::list)
                .post("/api/v1/hosts", this::create)
                .get("/api/v1/hosts/{id}", this::get)
                .put("/api/v1/hosts/{id}", this::update)
                .delete("/api/v1/hosts/{id}", this::delete)
                .get("/api/v1/hosts/{id}/latest", this::latest);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = Json.createArrayBuilder();
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
        HostStatus status = statuses.apply(id).orElseThrow(() -> missing(id));
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("host_id", id)
                .add("name", host.name())
                .add("status", status.state())
                .add("consecutive_failures", status.consecutiveFailures());
        status.lastPoll().ifPresentOrElse(poll -> json.add("last_poll", Json.createObjectBuilder()
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

    private JsonObject withState(Host host) {
        String state = statuses.apply(host.id()).map(HostStatus::state).orElse("unknown");
        return Json.createObjectBuilder(HostJson.write(host)).add("status", state).build();
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
        String value = request.path().pathParameters().get("id");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiErrors.notFound("no host " + value);
        }
    }

    private static ApiErrors.Refusal missing(long id) {
        return ApiErrors.notFound("no host " + id);
    }
}
