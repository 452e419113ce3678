package dev.vigil.agent.api;

import java.util.function.Function;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The read side: the snapshot as JSON and as Prometheus text, for the read token only. */
public final class MetricsService implements HttpService {
    private final TokenAuth auth;
    private final LatestSnapshot latest;

    public MetricsService(TokenAuth auth, LatestSnapshot latest) {
        this.auth = auth;
        this.latest = latest;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/metrics", this::snapshot)
                .get("/metrics", this::prometheus);
    }

    private void snapshot(ServerRequest request, ServerResponse response) {
        serve(request, response, ApiErrors.JSON, LatestSnapshot.Rendered::json);
    }

    private void prometheus(ServerRequest request, ServerResponse response) {
        serve(request, response, PrometheusText.CONTENT_TYPE, LatestSnapshot.Rendered::prometheus);
    }

    private void serve(ServerRequest request, ServerResponse response, String contentType,
                       Function<LatestSnapshot.Rendered, byte[]> body) {
        switch (auth.grant(request)) {
            case NONE -> ApiErrors.unauthorized(response);
            case ACTION -> ApiErrors.send(response, Status.FORBIDDEN_403,
                    "the action token cannot read metrics: use the read token");
            case READ -> latest.rendered().ifPresentOrElse(
                    rendered -> response.header(HeaderNames.CONTENT_TYPE, contentType).send(body.apply(rendered)),
                    () -> ApiErrors.send(response, Status.SERVICE_UNAVAILABLE_503, "the first sample is not ready"));
        }
    }
}
