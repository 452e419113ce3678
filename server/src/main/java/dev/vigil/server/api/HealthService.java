package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.util.function.BooleanSupplier;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import static dev.vigil.server.store.Jsons.JSON;

/** {@code /health/live} and {@code /health/ready} (the database answers): no token, only the status. */
public final class HealthService implements Access.Resource {
    private final BooleanSupplier ready;

    public HealthService(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/health/live", Role.PUBLIC, (request, response) -> status(response, true))
                .get("/health/ready", Role.PUBLIC, this::ready);
    }

    private void ready(ServerRequest request, ServerResponse response) {
        status(response, ready.getAsBoolean());
    }

    private static void status(ServerResponse response, boolean up) {
        JsonBodies.send(response, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                JSON.createObjectBuilder().add("status", up ? "UP" : "DOWN").build());
    }
}
