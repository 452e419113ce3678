package dev.vigil.server.api;

import java.util.Collection;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import dev.vigil.server.auth.Role;
import dev.vigil.server.events.SampleSummaries;
import dev.vigil.server.poll.HostStatus;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code GET /api/v1/fleet}: every host's state and headline numbers with a CPU sparkline, from memory — the
 * dashboard's grid in one cheap call; the {@code samples} events keep it current afterwards.
 */
public final class FleetService implements Access.Resource {
    private final Supplier<Collection<HostStatus>> statuses;
    private final LongFunction<Optional<SampleSummaries.Latest>> latest;

    public FleetService(Supplier<Collection<HostStatus>> statuses, LongFunction<Optional<SampleSummaries.Latest>> latest) {
        this.statuses = statuses;
        this.latest = latest;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/fleet", Role.VIEWER, this::fleet);
    }

    private void fleet(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder hosts = JSON.createArrayBuilder();
        for (HostStatus status : statuses.get()) {
            JsonObjectBuilder host = JSON.createObjectBuilder().add("host_id", status.hostId())
                    .add("status", status.state());
            latest.apply(status.hostId()).ifPresentOrElse(l -> summary(host, l), () -> host.addNull("at")
                    .addNull("cpu").addNull("memory").addNull("disk").addNull("load1")
                    .add("spark", JSON.createArrayBuilder()));
            hosts.add(host);
        }
        JsonBodies.send(response, Status.OK_200, hosts.build());
    }

    private static void summary(JsonObjectBuilder host, SampleSummaries.Latest latest) {
        JsonArrayBuilder spark = JSON.createArrayBuilder();
        for (double cpu : latest.spark()) {
            spark.add(cpu);
        }
        numbers(host, latest.summary()).add("spark", spark);
    }

    /** The summary's fields as the fleet route and the {@code samples} event show them. */
    static JsonObjectBuilder numbers(JsonObjectBuilder json, SampleSummaries.Summary summary) {
        return json.add("at", summary.at().toString()).add("cpu", summary.cpu()).add("memory", summary.memory())
                .add("disk", summary.disk()).add("load1", summary.load1());
    }
}
