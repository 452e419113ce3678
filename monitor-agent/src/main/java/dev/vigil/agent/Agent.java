package dev.vigil.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import io.helidon.common.configurable.Resource;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/** A running agent: the sampler and the HTTP server, wired from an {@link AgentConfig}. */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());
    /** Larger bodies are refused by the server before any handler runs; the action endpoint allows 64 KiB. */
    private static final long MAX_PAYLOAD = 256 * 1024;
    private static final Duration PUBLIC_IP_TIMEOUT = Duration.ofSeconds(5);

    private final Sampler sampler;
    private final SnapshotHistory history;
    private final EventLog events;
    private final WebServer server;
    private final Optional<Actions> actions;

    private Agent(Sampler sampler, SnapshotHistory history, EventLog events, WebServer server,
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
        HttpRouting.Builder routing = HttpRouting.builder()
                .register(new HealthService(latest, auth, () -> components(sampler, actions)),
                        new MetricsService(auth, latest, history),
                        new EventsService(auth, events),
                        new ActionsService(auth, AgentConfig.MAX_ACTION_BODY, actions));
        ApiErrors.register(routing);

        WebServerConfig.Builder server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(MAX_PAYLOAD)
                .directHandlers(ApiErrors.directHandlers())
                .shutdownHook(false)
                .routing(routing);
        config.tls().ifPresent(tls -> server.tls(tls(tls)));
        try {
            requireFreePort(config.host(), config.port());
            WebServer started = server.build().start();
            if (!started.isRunning()) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port());
            }
            return new Agent(sampler, history, events, started, actions);
        } catch (RuntimeException e) {
            sampler.close();
            history.close();
            events.close();
            actions.ifPresent(Actions::close);
            throw e;
        }
    }

    /** Helidon reports a port in use with a stack trace in the log; say it in one line first. */
    private static void requireFreePort(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is another agent running? set VIGIL_AGENT_PORT)");
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
                ProcessTable.fromOshi(config.procfs(), config.sysfs(), config.topProcesses()),
                config.sampleInterval(), units, smart,
                config.smart().map(AgentConfig.Smart::interval).orElse(Duration.ZERO),
                config.probes().isEmpty() ? null : new Prober(config.probes(), config.probeTimeout(),
                        result -> events.publish("probe", EventJson.probe(result))),
                config.publicIp().map(ip -> new PublicIpLookup(ip.url(), ip.interval(), PUBLIC_IP_TIMEOUT))
                        .orElse(null));
    }

    private static Tls tls(AgentConfig.Tls tls) {
        return Tls.builder()
                .privateKey(keys -> keys.pem(pem -> pem.key(Resource.create(tls.key()))))
                .privateKeyCertChain(keys -> keys.pem(pem -> pem.certChain(Resource.create(tls.certificate()))))
                .build();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        LOG.info("Vigil agent stopping");
        events.close(); // open streams never end by themselves, and the server waits for them
        server.stop();
        sampler.close();
        history.close();
        actions.ifPresent(Actions::close);
    }
}
