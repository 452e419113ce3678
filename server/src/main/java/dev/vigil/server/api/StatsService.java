package dev.vigil.server.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

import dev.vigil.server.model.Role;
import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.poll.FleetView;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.Action;
import dev.vigil.server.store.FleetStore;
import dev.vigil.server.store.IncidentStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/stats}, the fleet at a glance, and {@code /api/v1/warnings}, what is wrong now (what the bot's
 * {@code /stats} and {@code /warn} show). The summary takes the hosts' states and latest readings from the fleet view's
 * memory and the rest from three aggregate queries, so it costs the same for ten hosts as for ten thousand.
 */
public final class StatsService implements Access.Resource {
    /** The summary's headline gauges, as the agents report them; {@code load} is the 1-minute load. */
    private static final Map<String, ToDoubleFunction<AgentSnapshot>> GAUGES = gauges();
    private static final Duration RECENT = Duration.ofHours(24);

    private final FleetView view;
    private final FleetStore fleet;
    private final IncidentStore incidents;
    private final BooleanSupplier dryRun;
    private final Clock clock;

    public StatsService(FleetView view, FleetStore fleet, IncidentStore incidents, BooleanSupplier dryRun,
                        Clock clock) {
        this.view = view;
        this.fleet = fleet;
        this.incidents = incidents;
        this.dryRun = dryRun;
        this.clock = clock;
    }

    private static Map<String, ToDoubleFunction<AgentSnapshot>> gauges() {
        Map<String, ToDoubleFunction<AgentSnapshot>> gauges = new LinkedHashMap<>();
        gauges.put("cpu", AgentSnapshot::cpuPercent);
        gauges.put("memory", AgentSnapshot::memoryPercent);
        gauges.put("disk", AgentSnapshot::fullestDiskPercent);
        gauges.put("load", AgentSnapshot::load1);
        return gauges;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/stats", Role.VIEWER, this::stats)
                .get("/api/v1/warnings", Role.VIEWER, Access.Input.query("limit"), this::warnings);
    }

    private void stats(ServerRequest request, ServerResponse response) {
        Instant now = clock.instant();
        List<Poller.Polled> hosts = view.fleet();
        Map<String, Long> states = new LinkedHashMap<>(Map.of("up", 0L, "down", 0L, "unknown", 0L));
        Map<String, Poller.Polled> worst = new LinkedHashMap<>();
        for (Poller.Polled host : hosts) {
            states.merge(host.status().state(), 1L, Long::sum);
            // a down host's last reading is stale: the worst are of the hosts that answer
            if (host.status().state().equals("up") && host.status().latest().isPresent()) {
                GAUGES.forEach((gauge, value) -> worst.merge(gauge, host, (a, b) -> worse(value, a, b)));
            }
        }
        FleetStore.Counts counts = fleet.counts(now, now.minus(RECENT));
        JsonObjectBuilder worstJson = JSON.createObjectBuilder();
        GAUGES.forEach((gauge, value) -> {
            Poller.Polled host = worst.get(gauge);
            if (host == null) {
                worstJson.addNull(gauge);
                return;
            }
            AgentSnapshot latest = host.status().latest().orElseThrow();
            JsonObjectBuilder json = JSON.createObjectBuilder().add("host_id", host.host().id())
                    .add("host", host.host().name()).add("value", value.applyAsDouble(latest));
            if (gauge.equals("disk")) {
                IncidentsService.optional(json, "mount", latest.fullestDiskMount());
            }
            worstJson.add(gauge, json);
        });
        JsonObjectBuilder byOutcome = JSON.createObjectBuilder();
        Action.STATUSES.stream().sorted().forEach(status ->
                byOutcome.add(status, counts.actionsByStatus().getOrDefault(status, 0L)));
        JsonObjectBuilder actions = JSON.createObjectBuilder().add("by_outcome", byOutcome);
        counts.medianRecoverySeconds().ifPresentOrElse(m -> actions.add("median_recovery_seconds", m),
                () -> actions.addNull("median_recovery_seconds"));
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("generated_at", now.toString())
                .add("dry_run", dryRun.getAsBoolean())
                .add("hosts", JSON.createObjectBuilder().add("total", hosts.size()).add("up", states.get("up"))
                        .add("down", states.get("down")).add("unknown", states.get("unknown"))
                        .add("maintenance", counts.hostsInMaintenance()))
                .add("worst", worstJson)
                .add("incidents", JSON.createObjectBuilder().add("critical", counts.critical())
                        .add("warning", counts.warning()))
                .add("pending_approvals", counts.pendingApprovals())
                .add("actions_24h", actions)
                .build());
    }

    /** The higher reading; of equal ones, the host with the lower id, so the answer does not flicker. */
    private static Poller.Polled worse(ToDoubleFunction<AgentSnapshot> value, Poller.Polled a, Poller.Polled b) {
        int order = Double.compare(value.applyAsDouble(a.status().latest().orElseThrow()),
                value.applyAsDouble(b.status().latest().orElseThrow()));
        return order > 0 || order == 0 && a.host().id() < b.host().id() ? a : b;
    }

    private void warnings(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        incidents.warnings(Queries.limit(request)).forEach(warning -> {
            JsonObjectBuilder json = JSON.createObjectBuilder(IncidentsService.json(warning.incident()));
            IncidentsService.optional(json, "host", warning.host());
            array.add(json);
        });
        JsonBodies.send(response, Status.OK_200, array.build());
    }
}
