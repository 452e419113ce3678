package dev.vigil.server.api;

import java.nio.charset.StandardCharsets;

import dev.vigil.server.Histogram;
import dev.vigil.server.poll.PollOutcome;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.SampleWriter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /metrics}: the server's own health in Prometheus text — polls by outcome and their duration,
 * hosts by state, samples written, the outage buffer, and the time from a poll's answer to its stored row.
 */
public final class MetricsService implements HttpService {
    private final Poller poller;
    private final SampleWriter samples;

    public MetricsService(Poller poller, SampleWriter samples) {
        this.poller = poller;
        this.samples = samples;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::metrics);
    }

    private void metrics(ServerRequest request, ServerResponse response) {
        StringBuilder out = new StringBuilder(4096);
        family(out, "vigil_polls_total", "counter", "Polls of agents, by outcome.");
        for (PollOutcome outcome : PollOutcome.values()) {
            sample(out, "vigil_polls_total{outcome=\"" + outcome.label() + "\"}", poller.stats().polls(outcome));
        }
        histogram(out, "vigil_poll_duration_seconds", "Time a poll took, from request to parsed answer.",
                poller.stats().duration());
        family(out, "vigil_poll_overlaps_skipped_total", "counter",
                "Poll ticks skipped because the host's previous poll was still running.");
        sample(out, "vigil_poll_overlaps_skipped_total", poller.stats().skippedOverlaps());
        family(out, "vigil_hosts", "gauge", "Registered hosts, by state.");
        poller.countByState().forEach((state, count) -> sample(out, "vigil_hosts{status=\"" + state + "\"}", count));
        family(out, "vigil_samples_written_total", "counter", "Samples written to the database.");
        sample(out, "vigil_samples_written_total", samples.written());
        histogram(out, "vigil_sample_batch_duration_seconds", "Time one batch insert took.", samples.batchDuration());
        histogram(out, "vigil_sample_store_latency_seconds", "From a poll's answer to its row committed.",
                samples.storeLatency());
        family(out, "vigil_sample_buffer_depth", "gauge", "Samples waiting to be written.");
        sample(out, "vigil_sample_buffer_depth", samples.bufferDepth());
        family(out, "vigil_samples_dropped_total", "counter",
                "Buffered items dropped because the buffer was full: detail first, whole rows last.");
        sample(out, "vigil_samples_dropped_total{what=\"detail\"}", samples.droppedDetails());
        sample(out, "vigil_samples_dropped_total{what=\"row\"}", samples.droppedRows());
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .send(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String series, double value) {
        out.append(series).append(' ').append(value == Math.rint(value) ? Long.toString((long) value)
                : Double.toString(value)).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, Histogram histogram) {
        family(out, name, "histogram", help);
        for (int i = 0; i < Histogram.BOUNDS.length; i++) {
            sample(out, name + "_bucket{le=\"" + Histogram.BOUNDS[i] + "\"}", histogram.bucket(i));
        }
        sample(out, name + "_bucket{le=\"+Inf\"}", histogram.count());
        sample(out, name + "_sum", histogram.sumSeconds());
        sample(out, name + "_count", histogram.count());
    }
}
