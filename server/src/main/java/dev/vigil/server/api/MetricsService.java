package dev.vigil.server.api;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

import dev.vigil.server.Histogram;
import dev.vigil.server.act.Dispatcher;
import dev.vigil.server.model.Role;
import dev.vigil.server.decide.Decider;
import dev.vigil.server.gate.Gate;
import dev.vigil.server.poll.Backfill;
import dev.vigil.server.poll.PollOutcome;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.SampleWriter;
import dev.vigil.server.watch.AgentStreams;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /metrics}: the server's own health in Prometheus text — polls by outcome and their duration,
 * hosts owned and by state, agents' event streams, gaps backfilled, samples written, the outage buffer, the time from a
 * poll's answer to its stored row, the rules' evaluations, firings and decision latency, and actions by outcome.
 */
public final class MetricsService implements Access.Resource {
    private final Poller poller;
    private final AgentStreams streams;
    private final Backfill backfill;
    private final SampleWriter samples;
    private final Decider decider;
    private final Gate gate;
    private final Dispatcher dispatcher;
    private final IntSupplier ownedHosts;
    private final Role role;

    /**
     * @param ownedHosts the hosts this instance owns now (all of them, alone on its database)
     * @param open       true: anyone may read (VIGIL_METRICS_OPEN); false: a viewer's token or session
     */
    public MetricsService(Poller poller, AgentStreams streams, Backfill backfill, SampleWriter samples,
                          Decider decider, Gate gate, Dispatcher dispatcher, IntSupplier ownedHosts, boolean open) {
        this.poller = poller;
        this.streams = streams;
        this.backfill = backfill;
        this.samples = samples;
        this.decider = decider;
        this.gate = gate;
        this.dispatcher = dispatcher;
        this.ownedHosts = ownedHosts;
        this.role = open ? Role.PUBLIC : Role.VIEWER;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/metrics", role, this::metrics);
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
        family(out, "vigil_owned_hosts", "gauge",
                "Hosts this instance owns now: polls and runs the rules of (all of them without replicas).");
        sample(out, "vigil_owned_hosts", ownedHosts.getAsInt());
        family(out, "vigil_hosts", "gauge", "Hosts this instance owns, by state.");
        poller.countByState().forEach((state, count) -> sample(out, "vigil_hosts{status=\"" + state + "\"}", count));
        family(out, "vigil_agent_streams_open", "gauge", "Agents' event streams open now.");
        sample(out, "vigil_agent_streams_open", streams.open());
        family(out, "vigil_agent_stream_events_total", "counter",
                "Events received over agents' event streams: unit, probe and reset (heartbeats are none).");
        sample(out, "vigil_agent_stream_events_total", streams.eventsReceived());
        family(out, "vigil_agent_stream_reconnects_total", "counter",
                "Event streams connected again after one ended, failed or was refused.");
        sample(out, "vigil_agent_stream_reconnects_total", streams.reconnects());
        family(out, "vigil_hosts_polling_alone", "gauge",
                "Registered hosts without an open event stream: their changes reach the rules at the next poll.");
        sample(out, "vigil_hosts_polling_alone", streams.pollingAlone());
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
        family(out, "vigil_backfills_total", "counter", "Gaps in a host's samples filled from its agent's history,"
                + " by outcome (unsupported: an agent without the history endpoint).");
        for (Backfill.Outcome outcome : Backfill.Outcome.values()) {
            sample(out, "vigil_backfills_total{outcome=\"" + outcome.label() + "\"}", backfill.backfills(outcome));
        }
        family(out, "vigil_backfilled_samples_total", "counter",
                "Samples fetched from agents' history to fill gaps and handed to the store, marked as backfilled.");
        sample(out, "vigil_backfilled_samples_total", backfill.backfilledSamples());
        family(out, "vigil_rule_samples_total", "counter", "Samples the rules evaluated.");
        sample(out, "vigil_rule_samples_total", decider.evaluated());
        family(out, "vigil_rule_firings_total", "counter", "Rule firings.");
        sample(out, "vigil_rule_firings_total", decider.firings());
        histogram(out, "vigil_rule_decision_seconds", "From a sample's arrival to the rules fired on it and their"
                + " intents handed to the gate.", decider.sampleToDecision());
        family(out, "vigil_rule_samples_skipped_total", "counter",
                "Samples left out of the rules because they were too far behind (stored all the same).");
        sample(out, "vigil_rule_samples_skipped_total", decider.skipped());
        family(out, "vigil_rule_failures_total", "counter", "Facts that could not be made and rules that failed.");
        sample(out, "vigil_rule_failures_total", decider.failures());
        histogram(out, "vigil_decision_record_seconds", "From the rules' intent handed to the gate to its incident,"
                + " action and audit rows written.", gate.recordLatency());
        family(out, "vigil_decisions_waiting", "gauge",
                "Incident and action records not written yet: in flight, or waiting in order for the database.");
        sample(out, "vigil_decisions_waiting", gate.waiting());
        family(out, "vigil_decisions_unrecorded_total", "counter",
                "Incident and action records that failed while the database answered, or overflowed the wait.");
        sample(out, "vigil_decisions_unrecorded_total", gate.unrecorded());
        family(out, "vigil_actions_total", "counter", "Actions the agents answered, by outcome.");
        dispatcher.outcomes().forEach((outcome, count) ->
                sample(out, "vigil_actions_total{outcome=\"" + outcome + "\"}", count));
        family(out, "vigil_action_retries_total", "counter",
                "Requests to agents that got no answer and were sent again under the same action id.");
        sample(out, "vigil_action_retries_total", dispatcher.retries());
        family(out, "vigil_actions_in_flight", "gauge", "Actions sent to agents and not answered yet.");
        sample(out, "vigil_actions_in_flight", dispatcher.inFlight());
        histogram(out, "vigil_action_duration_seconds", "From an action's approval to the agent's outcome recorded.",
                dispatcher.approvalToOutcome());
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
