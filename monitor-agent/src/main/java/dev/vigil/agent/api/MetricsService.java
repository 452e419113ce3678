package dev.vigil.agent.api;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.vigil.agent.history.SnapshotHistory;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The read side: the snapshot as JSON and as Prometheus text, and the recent snapshots, for the read token only. */
public final class MetricsService implements HttpService {
    private final TokenAuth auth;
    private final LatestSnapshot latest;
    private final SnapshotHistory history;

    public MetricsService(TokenAuth auth, LatestSnapshot latest, SnapshotHistory history) {
        this.auth = auth;
        this.latest = latest;
        this.history = history;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/metrics", this::snapshot)
                .get("/metrics", this::prometheus)
                .get("/api/v1/metrics/history", this::history);
    }

    private void history(ServerRequest request, ServerResponse response) throws IOException {
        if (!ApiErrors.readGranted(auth, request, response, "metrics")) {
            return;
        }
        Optional<BigDecimal> since;
        try {
            since = SnapshotHistory.since(request.query().contains("since") ? request.query().all("since") : List.of());
        } catch (IllegalArgumentException e) {
            ApiErrors.send(response, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON);
        try (OutputStream out = response.outputStream()) {
            history.write(since, out);
        }
    }

    private void snapshot(ServerRequest request, ServerResponse response) {
        serve(request, response, ApiErrors.JSON, LatestSnapshot.Rendered::json);
    }

    private void prometheus(ServerRequest request, ServerResponse response) {
        serve(request, response, PrometheusText.CONTENT_TYPE, LatestSnapshot.Rendered::prometheus);
    }

    private void serve(ServerRequest request, ServerResponse response, String contentType,
                       Function<LatestSnapshot.Rendered, byte[]> body) {
        if (ApiErrors.readGranted(auth, request, response, "metrics")) {
            latest.rendered().ifPresentOrElse(
                    rendered -> response.header(HeaderNames.CONTENT_TYPE, contentType).send(body.apply(rendered)),
                    () -> ApiErrors.send(response, Status.SERVICE_UNAVAILABLE_503, "the first sample is not ready"));
        }
    }
}
