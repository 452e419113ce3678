package dev.vigil.agent.api;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Liveness and readiness for supervisors and load balancers: no token, no detail beyond the status. */
public final class HealthService implements HttpService {
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOWN = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);

    private final LatestSnapshot latest;

    public HealthService(LatestSnapshot latest) {
        this.latest = latest;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", this::live)
                .get("/health/ready", this::ready);
    }

    private void live(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON).send(UP);
    }

    /** Ready once a snapshot exists: the agent has something true to say. */
    private void ready(ServerRequest request, ServerResponse response) {
        boolean ready = latest.snapshot().isPresent();
        response.status(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON)
                .send(ready ? UP : DOWN);
    }
}
