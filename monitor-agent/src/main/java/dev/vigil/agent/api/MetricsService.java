package dev.vigil.agent.api;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;

import dev.vigil.agent.history.SnapshotHistory;
import dev.vigil.agent.http.Exchange;
import dev.vigil.agent.http.Resource;
import dev.vigil.agent.http.Routes;
import dev.vigil.agent.http.Status;

/** The read side: the snapshot as JSON and as Prometheus text, and the recent snapshots, for the read token only. */
public final class MetricsService implements Resource {
    private final TokenAuth auth;
    private final LatestSnapshot latest;
    private final SnapshotHistory history;

    public MetricsService(TokenAuth auth, LatestSnapshot latest, SnapshotHistory history) {
        this.auth = auth;
        this.latest = latest;
        this.history = history;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/api/v1/metrics", this::snapshot)
                .get("/metrics", this::prometheus)
                .get("/api/v1/metrics/history", this::history);
    }

    /** Written as it is read from the history, chunked: the window may hold many snapshots. */
    private void history(Exchange exchange) throws IOException {
        if (!ApiErrors.readGranted(auth, exchange, "metrics")) {
            return;
        }
        Optional<BigDecimal> since;
        try {
            since = SnapshotHistory.since(exchange.queryAll("since"));
        } catch (IllegalArgumentException e) {
            ApiErrors.send(exchange, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        try (OutputStream out = exchange.stream(Status.OK_200, ApiErrors.JSON)) {
            history.write(since, out);
        }
    }

    private void snapshot(Exchange exchange) throws IOException {
        serve(exchange, ApiErrors.JSON, LatestSnapshot.Rendered::json);
    }

    private void prometheus(Exchange exchange) throws IOException {
        serve(exchange, PrometheusText.CONTENT_TYPE, LatestSnapshot.Rendered::prometheus);
    }

    private void serve(Exchange exchange, String contentType, Function<LatestSnapshot.Rendered, byte[]> body)
            throws IOException {
        if (!ApiErrors.readGranted(auth, exchange, "metrics")) {
            return;
        }
        Optional<LatestSnapshot.Rendered> rendered = latest.rendered();
        if (rendered.isPresent()) {
            exchange.send(Status.OK_200, contentType, body.apply(rendered.get()));
        } else {
            ApiErrors.send(exchange, Status.SERVICE_UNAVAILABLE_503, "the first sample is not ready");
        }
    }
}
