package dev.vigil.server.api;

import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import dev.vigil.server.model.Role;
import dev.vigil.server.events.SampleSummaries;
import dev.vigil.server.poll.HostStatus;
import dev.vigil.server.poll.Poller;
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
    private final Supplier<List<Poller.Polled>> fleet;
    private final LongFunction<double[]> spark;

    public FleetService(Supplier<List<Poller.Polled>> fleet, LongFunction<double[]> spark) {
        this.fleet = fleet;
        this.spark = spark;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/fleet", Role.VIEWER, this::fleet);
    }

    private void fleet(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder hosts = JSON.createArrayBuilder();
        for (Poller.Polled polled : fleet.get()) {
            HostStatus status = polled.status();
            JsonObjectBuilder host = JSON.createObjectBuilder().add("host_id", polled.host().id())
                    .add("status", status.state());
            if (status.latest().isPresent() && status.latestReceivedAt().isPresent()) {
                numbers(host, SampleSummaries.Summary.of(polled.host().id(), status.latest().get(),
                        status.latestReceivedAt().get()));
            } else {
                host.addNull("at").addNull("cpu").addNull("memory").addNull("disk").addNull("load1");
            }
            JsonArrayBuilder cpu = JSON.createArrayBuilder();
            for (double value : spark.apply(polled.host().id())) {
                cpu.add(value);
            }
            hosts.add(host.add("spark", cpu));
        }
        JsonBodies.send(response, Status.OK_200, hosts.build());
    }

    /** The summary's fields as the fleet route and the {@code samples} event show them. */
    static JsonObjectBuilder numbers(JsonObjectBuilder json, SampleSummaries.Summary summary) {
        return json.add("at", summary.at().toString()).add("cpu", summary.cpu()).add("memory", summary.memory())
                .add("disk", summary.disk()).add("load1", summary.load1());
    }
}
