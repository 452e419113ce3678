package dev.vigil.agent.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.vigil.agent.http.Exchange;
import dev.vigil.agent.http.Resource;
import dev.vigil.agent.http.Routes;
import dev.vigil.agent.http.Status;

/**
 * Liveness and readiness for supervisors and load balancers: without a token, nothing beyond the status. With the
 * read token, readiness also says how each part of the agent is: ok, or degraded with why — a degraded part does
 * not make the agent unready (it still serves what it has).
 */
public final class HealthService implements Resource {
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOWN = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);

    private final LatestSnapshot latest;
    private final TokenAuth auth;
    private final Supplier<Map<String, Optional<String>>> components;

    /** @param components each part of the agent by name, with why it is degraded (empty: ok) */
    public HealthService(LatestSnapshot latest, TokenAuth auth, Supplier<Map<String, Optional<String>>> components) {
        this.latest = latest;
        this.auth = auth;
        this.components = components;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/health/live", this::live)
                .get("/health/ready", this::ready);
    }

    private void live(Exchange exchange) throws IOException {
        exchange.send(Status.OK_200, ApiErrors.JSON, UP);
    }

    /** Ready once a snapshot exists: the agent has something true to say. */
    private void ready(Exchange exchange) throws IOException {
        boolean ready = latest.snapshot().isPresent();
        boolean withToken = exchange.header("Authorization").isPresent();
        if (withToken && auth.grant(exchange) != TokenAuth.Grant.READ) {
            ApiErrors.unauthorized(exchange);
            return;
        }
        exchange.send(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, ApiErrors.JSON,
                withToken ? detailed(ready) : ready ? UP : DOWN);
    }

    private byte[] detailed(boolean ready) {
        JsonWriter json = new JsonWriter(256).beginObject().name("status").value(ready ? "UP" : "DOWN")
                .name("components").beginObject();
        components.get().forEach((name, problem) -> {
            json.name(name).beginObject().name("status").value(problem.isEmpty() ? "ok" : "degraded");
            problem.ifPresent(reason -> json.name("reason").value(reason));
            json.endObject();
        });
        return json.endObject().endObject().toBytes();
    }
}
