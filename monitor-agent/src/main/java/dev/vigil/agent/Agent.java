package dev.vigil.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

import dev.vigil.agent.act.Actions;
import dev.vigil.agent.api.ActionsService;
import dev.vigil.agent.api.ApiErrors;
import dev.vigil.agent.api.EventJson;
import dev.vigil.agent.api.EventsService;
import dev.vigil.agent.api.HealthService;
import dev.vigil.agent.api.LatestSnapshot;
import dev.vigil.agent.api.MetricsService;
import dev.vigil.agent.api.TokenAuth;
import dev.vigil.agent.collect.Filesystems;
import dev.vigil.agent.history.SnapshotHistory;
import dev.vigil.agent.collect.ProcFs;
import dev.vigil.agent.collect.ProcessTable;
import dev.vigil.agent.collect.PublicIpLookup;
import dev.vigil.agent.collect.Prober;
import dev.vigil.agent.collect.Sampler;
import dev.vigil.agent.collect.SmartHealth;
import dev.vigil.agent.collect.SysFs;
import dev.vigil.agent.collect.SystemdUnits;
import dev.vigil.agent.events.EventLog;
import dev.vigil.agent.http.Http1Server;
import dev.vigil.agent.http.PemTls;
import dev.vigil.agent.http.Routes;

/** A running agent: the sampler and the HTTP server, wired from an {@link AgentConfig}. */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());
    /**
     * Larger bodies are refused before any handler runs (the action endpoint allows 64 KiB); a kept-alive
     * connection idle for 5 minutes is closed, as is a request that stalls for 30 s; at most 256 connections.
     */
    private static final Http1Server.Limits LIMITS = new Http1Server.Limits(256 * 1024, Duration.ofMinutes(5),
            Duration.ofSeconds(30), 256);
    private static final Duration PUBLIC_IP_TIMEOUT = Duration.ofSeconds(5);

    private final Sampler sampler;
    private final SnapshotHistory history;
    private final EventLog events;
    private final Http1Server server;
    private final Optional<Actions> actions;

    private Agent(Sampler sampler, SnapshotHistory history, EventLog events, Http1Server server,
                  Optional<Actions> actions) {
        this.sampler = sampler;
        this.history = history;
        this.events = events;
        this.server = server;
        this.actions = actions;
    }

    public static String version() {
        return Objects.requireNonNullElse(Agent.class.getPackage().getImplementationVersion(), "dev");
    }

    public static Agent start(AgentConfig config) {
        SnapshotHistory history = SnapshotHistory.open(config, Clock.systemUTC());
        // Without an action token the endpoint refuses everything, so there is no journal to keep either.
        Optional<Actions> actions = config.actionToken().map(token -> Actions.open(config));
        LatestSnapshot latest = new LatestSnapshot(history);
        EventLog events = new EventLog(Clock.systemUTC(), config.eventsHeartbeat());
        Sampler sampler = new Sampler(samplerSettings(config, events), latest, Clock.systemUTC());
        sampler.start();

        TokenAuth auth = new TokenAuth(config.readToken(), config.actionToken());
        Routes routes = Routes.of(ApiErrors.NOT_FOUND,
                new HealthService(latest, auth, () -> components(sampler, actions)),
                new MetricsService(auth, latest, history),
                new EventsService(auth, events),
                new ActionsService(auth, AgentConfig.MAX_ACTION_BODY, actions));
        try {
            return new Agent(sampler, history, events, listen(config, routes), actions);
        } catch (RuntimeException e) {
            sampler.close();
            history.close();
            events.close();
            actions.ifPresent(Actions::close);
            throw e;
        }
    }

    private static Http1Server listen(AgentConfig config, Routes routes) {
        try {
            return Http1Server.start(config.host(), config.port(),
                    config.tls().map(tls -> PemTls.context(tls.certificate(), tls.key())), routes, ApiErrors.BODY,
                    LIMITS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + " (is another agent running? set VIGIL_AGENT_PORT)", e);
        }
    }

    /** The sampler's parts and, with actions on, the action journal: for /health/ready with the read token. */
    private static Map<String, Optional<String>> components(Sampler sampler, Optional<Actions> actions) {
        Map<String, Optional<String>> components = new TreeMap<>(sampler.components());
        actions.ifPresent(a -> components.put("journal", a.journalProblem()));
        return components;
    }

    private static Sampler.Settings samplerSettings(AgentConfig config, EventLog events) {
        Filesystems filesystems = new Filesystems(config.includeFilesystemTypes(), config.excludeFilesystemTypes(),
                config.excludeMountpoints(), config.includeMountpoints(), config.rootfs());
        SystemdUnits units = config.watchServices().isEmpty()
                ? null
                : new SystemdUnits(config.systemBusAddress(), config.watchServices(),
                        state -> events.publish("unit", EventJson.unit(state)));
        SmartHealth smart = config.smart().map(s -> new SmartHealth(s.command(), Duration.ofSeconds(30)))
                .orElse(null);
        return new Sampler.Settings(version(), new ProcFs(config.procfs()), new SysFs(config.sysfs()), filesystems,
                ProcessTable.of(config.procfs(), config.topProcesses()),
                config.sampleInterval(), units, smart,
                config.smart().map(AgentConfig.Smart::interval).orElse(Duration.ZERO),
                config.probes().isEmpty() ? null : new Prober(config.probes(), config.probeTimeout(),
                        result -> events.publish("probe", EventJson.probe(result))),
                config.publicIp().map(ip -> new PublicIpLookup(ip.url(), ip.interval(), PUBLIC_IP_TIMEOUT))
                        .orElse(null));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        LOG.info("Vigil agent stopping");
        events.close(); // open streams end first: their handlers return and their connections close
        server.close();
        sampler.close();
        history.close();
        actions.ifPresent(Actions::close);
    }
}
