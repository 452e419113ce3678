package dev.vigil.server;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import dev.vigil.rules.RuleSet;
import dev.vigil.server.act.Dispatcher;
import dev.vigil.server.cluster.Ownership;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.events.HostChange;
import dev.vigil.server.events.RulesLoaded;
import dev.vigil.server.events.SampleSummaries;
import dev.vigil.server.poll.HostTransitions;
import dev.vigil.server.api.Access;
import dev.vigil.server.api.ActionsService;
import dev.vigil.server.api.AuthService;
import dev.vigil.server.api.SecurityHeaders;
import dev.vigil.server.api.StatsService;
import dev.vigil.server.api.SettingsService;
import dev.vigil.server.api.TelegramService;
import dev.vigil.server.api.TokensService;
import dev.vigil.server.api.UiService;
import dev.vigil.server.api.UsersService;
import dev.vigil.server.auth.Accounts;
import dev.vigil.server.auth.ApiTokens;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.LoginThrottle;
import dev.vigil.server.model.Role;
import dev.vigil.server.auth.Sessions;
import dev.vigil.server.api.AuditService;
import dev.vigil.server.api.EventsService;
import dev.vigil.server.api.MaintenanceService;
import dev.vigil.server.api.FleetService;
import dev.vigil.server.api.IncidentsService;
import dev.vigil.server.api.ReportsService;
import dev.vigil.server.api.RulesService;
import dev.vigil.server.decide.Backtest;
import dev.vigil.server.decide.Decider;
import dev.vigil.server.decide.RulesFolder;
import dev.vigil.server.gate.Gate;
import dev.vigil.server.gate.StoredHistory;
import dev.vigil.server.gate.Verdict;
import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.FleetStore;
import dev.vigil.server.store.IncidentStore;
import dev.vigil.server.store.MaintenanceStore;
import dev.vigil.server.store.Reports;

import dev.vigil.server.api.ApiErrors;
import dev.vigil.server.api.HealthService;
import dev.vigil.server.api.HostsService;
import dev.vigil.server.api.MetricsService;
import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.poll.Backfill;
import dev.vigil.server.poll.FleetView;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.History;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.LatestSamples;
import dev.vigil.server.store.LeaseStore;
import dev.vigil.server.store.RoleLeaseStore;
import dev.vigil.server.store.Retention;
import dev.vigil.server.store.SampleWriter;
import dev.vigil.server.store.SecretBox;
import dev.vigil.server.store.EventStore;
import dev.vigil.server.store.SettingsStore;
import dev.vigil.server.store.StoredSettings;
import dev.vigil.server.store.TelegramStore;
import dev.vigil.server.watch.AgentStreams;
import dev.vigil.server.watch.PartialSamples;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;

/**
 * The running server, wired from a {@link ServerConfig}: database and retention, the sample writer (store), the
 * rules folder and the decide stage, the gate, the act stage, the poller, and the HTTP API.
 */
public final class VigilServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VigilServer.class.getName());
    private static final long MAX_PAYLOAD = 1024 * 1024;
    /** How often the events of the other instances (replicas) are looked for in the database. */
    private static final Duration OTHER_INSTANCES_EVENTS_EVERY = Duration.ofMillis(200);
    /** How often the fleet view's {@code samples} event goes out: live enough for a dashboard, few events. */
    private static final Duration SAMPLE_EVENTS_EVERY = Duration.ofMillis(250);

    private final Database database;
    private final Retention retention;
    private final SampleWriter samples;
    private final Poller poller;
    private final AgentStreams streams;
    private final Backfill backfill;
    private final Decider decider;
    private final Gate gate;
    private final Dispatcher dispatcher;
    private final EventBus events;
    private final SampleSummaries summaries;
    private final RulesFolder rules;
    private final WebServer web;
    private final Access access;
    private final Accounts accounts;
    private final Ownership ownership;

    private VigilServer(Database database, Retention retention, SampleWriter samples, Poller poller,
                        AgentStreams streams, Backfill backfill, Decider decider, Gate gate, Dispatcher dispatcher,
                        EventBus events, SampleSummaries summaries,
                        RulesFolder rules, WebServer web, Access access, Accounts accounts, Ownership ownership) {
        this.database = database;
        this.retention = retention;
        this.samples = samples;
        this.poller = poller;
        this.streams = streams;
        this.backfill = backfill;
        this.decider = decider;
        this.gate = gate;
        this.dispatcher = dispatcher;
        this.events = events;
        this.summaries = summaries;
        this.rules = rules;
        this.web = web;
        this.access = access;
        this.accounts = accounts;
        this.ownership = ownership;
    }

    /** VIGIL_ADMIN_USER / VIGIL_ADMIN_PASSWORD make the first admin, while there is no user. */
    private static void createFirstAdmin(ServerConfig.Security security, Accounts accounts, AuditLog audit,
                                         Clock clock) {
        if (security.adminUser().isEmpty() || !accounts.none()) {
            return;
        }
        try {
            accounts.create(security.adminUser().get(), security.adminPassword().orElseThrow(), Role.ADMIN);
        } catch (Accounts.Refused e) {
            throw new IllegalArgumentException("VIGIL_ADMIN_USER/VIGIL_ADMIN_PASSWORD: " + e.getMessage());
        }
        audit.record(clock.instant(), "server", "user_created", "user " + security.adminUser().get(),
                "the first admin, from VIGIL_ADMIN_USER");
        LOG.info("Created the first admin, " + security.adminUser().get() + ", from VIGIL_ADMIN_USER");
    }

    /** Where the environment's first values differ from the stored settings, which win: says so once. */
    private static void logStoredSettings(ServerConfig config, StoredSettings stored) {
        List<String> differ = new ArrayList<>();
        if (config.retentionDays() != stored.retentionDays()) {
            differ.add("retention_days " + stored.retentionDays() + " (VIGIL_RETENTION_DAYS or its default: "
                    + config.retentionDays() + ")");
        }
        if (config.dryRun() != stored.dryRun()) {
            differ.add("dry_run " + stored.dryRun() + " (VIGIL_DRY_RUN or its default: " + config.dryRun() + ")");
        }
        if (config.pollIntervalSeconds() != stored.pollIntervalSeconds()) {
            differ.add("poll_interval_seconds " + stored.pollIntervalSeconds() + " (VIGIL_POLL_INTERVAL or its"
                    + " default: " + config.pollIntervalSeconds() + " s)");
        }
        if (!differ.isEmpty()) {
            LOG.info("The stored settings are in force, not the environment, which only gives their first values: "
                    + String.join(", ", differ) + "; change them with PUT /api/v1/settings");
        }
    }

    /** Every route the server answers, with the least role each needs. */
    public List<Access.Route> routes() {
        return access.table();
    }

    /** No user exists yet: the first-run setup is open. */
    public boolean needsSetup() {
        return accounts.none();
    }

    public static VigilServer start(ServerConfig config) {
        Database database = Database.open(config);
        SettingsStore settings;
        Retention retention;
        try {
            settings = SettingsStore.open(database.client(), new StoredSettings(config.retentionDays(),
                    config.dryRun(), config.pollIntervalSeconds()));
            logStoredSettings(config, settings.current());
            retention = new Retention(database.client(), () -> settings.current().retentionDays(), Clock.systemUTC());
            retention.run();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        retention.start();
        SampleWriter samples = new SampleWriter(database.client(), Database.statement("insert-sample"),
                SampleWriter.Settings.DEFAULTS);
        Clock clock = Clock.systemUTC();
        RulesFolder rulesFolder;
        RuleSet rules;
        try {
            rulesFolder = RulesFolder.open(config.rulesDir(), clock);
            rules = rulesFolder.initialRules();
        } catch (IOException e) {
            samples.close();
            retention.close();
            database.close();
            throw new IllegalStateException("cannot use the rules folder " + config.rulesDir() + ": " + e.getMessage(),
                    e);
        }
        SecretBox secrets = SecretBox.open(config.secretKey(), config.dataDir());
        HostStore hosts = new HostStore(database.client(), secrets);
        IncidentStore incidents = new IncidentStore(database.client());
        ActionStore actions = new ActionStore(database.client());
        AuditLog audit = new AuditLog(database.client());
        BooleanSupplier dryRun = () -> settings.current().dryRun();
        MaintenanceStore maintenance = new MaintenanceStore(database.client());
        EventBus events = new EventBus(clock, new EventStore(database.client()), config.replica().instance(),
                EventsService::json, OTHER_INSTANCES_EVENTS_EVERY);
        SSLContext agentTls = AgentTls.context(config.agentsCa());
        Dispatcher dispatcher = new Dispatcher(Dispatcher.Settings.DEFAULTS, actions, incidents, audit,
                hosts, events, clock, database::reachable, agentTls);
        Gate gate = new Gate(incidents, actions, audit, hosts::find, new StoredHistory(actions, maintenance),
                Verdict.Limits.DEFAULTS, dryRun, clock, database::reachable, dispatcher, events);
        // what was left open (by the previous run, or by the replica that had the host) goes back to the rules with
        // each host's first sample here
        Decider decider = new Decider(rules, gate, clock, hostId -> Gate.warningsOf(incidents.unresolved(hostId)));
        SampleSummaries summaries = new SampleSummaries(events, SAMPLE_EVENTS_EVERY);
        // A unit or probe event goes to the rules alone, as the latest poll with that change: the next poll stores.
        // Polls reach the rules through the same stage, which applies the events newer than a poll's snapshot.
        PartialSamples partials = new PartialSamples(decider);
        // Every good poll goes to the store, to the rules and to the fleet view; none waits for another.
        Poller poller = new Poller(Poller.Settings.DEFAULTS, settings.current().pollIntervalSeconds(),
                (hostId, answer, at) -> {
                    samples.accept(hostId, answer.snapshot(), at);
                    partials.accept(hostId, answer, at);
                    summaries.accept(hostId, answer.snapshot(), at);
                }, clock, agentTls);
        AgentStreams streams = new AgentStreams(AgentStreams.Settings.DEFAULTS, config.agentEvents(), poller,
                partials, agentTls);
        // The gaps outages leave are filled from the agents' history, straight to the store: never to the rules.
        History history = new History(database.client());
        Backfill backfill = new Backfill(Backfill.Settings.DEFAULTS, agentTls, samples, history, clock);
        poller.onRecovery(backfill);
        poller.onTransitions(new HostTransitions() {
            @Override
            public void down(long hostId, Instant since, String reason) {
                decider.down(hostId, since, reason);
                events.publish("host_down", new HostChange(hostId, "down", reason));
            }

            @Override
            public void up(long hostId) {
                decider.up(hostId);
                events.publish("host_up", new HostChange(hostId, "up", ""));
            }
        });
        // The hosts this instance owns (all of them, alone on its database) go to the stages that work per host.
        Ownership ownership = new Ownership(config.replica(), new LeaseStore(database.client()), hosts);
        try {
            hosts.addListener(ownership);
            ownership.addListener(decider);
            ownership.addListener(poller);
            ownership.addListener(streams);
            ownership.addListener(new HostStore.Listener() {
                @Override
                public void registered(Host host, Host.Credentials credentials) {
                    dispatcher.resume(host.id());
                }

                @Override
                public void removed(long hostId) {
                    summaries.removed(hostId);
                }
            });
            ownership.start();
            rulesFolder.watch(next -> {
                decider.swap(next);
                events.publish("rules_reloaded", new RulesLoaded(List.copyOf(next.files().keySet()),
                        next.ruleNames().size()));
            });
            if (dryRun.getAsBoolean()) {
                LOG.info("Dry run is on (the stored setting): actions are decided and recorded, never approved to"
                        + " run");
            }
            Accounts accounts = new Accounts(database.client(), config.security().bcryptCost(), clock);
            Sessions sessions = new Sessions(database.client(), config.security().sessionIdle(),
                    config.security().sessionLifetime(), clock);
            ApiTokens tokens = new ApiTokens(database.client(), clock);
            createFirstAdmin(config.security(), accounts, audit, clock);
            Access access = new Access(new Authenticator(sessions, tokens), audit, clock);
            FleetView fleet = new FleetView(poller, hosts, new LatestSamples(database.client()),
                    () -> ownership.liveInstances() <= 1, Poller.Settings.DEFAULTS.failuresUntilDown(), clock);
            HttpRouting.Builder routing = HttpRouting.builder().addFilter(new SecurityHeaders());
            for (Access.Resource resource : List.of(
                    new HealthService(database::reachable),
                    new MetricsService(poller, streams, backfill, samples, decider, gate, dispatcher,
                            ownership::ownedHosts, config.security().metricsOpen()),
                    new AuthService(accounts, sessions, new LoginThrottle(clock), audit, clock),
                    new UsersService(accounts, sessions, audit, clock),
                    new TokensService(tokens, audit, clock),
                    new HostsService(hosts, poller, fleet, history, clock),
                    new IncidentsService(incidents, audit, events, clock),
                    new StatsService(fleet, new FleetStore(database.client()), incidents, dryRun, clock),
                    new ActionsService(actions, incidents, audit, gate),
                    new RulesService(rulesFolder, decider::rules, hosts, new Backtest(database.client()), dryRun,
                            audit, clock),
                    new MaintenanceService(maintenance, audit, clock),
                    new SettingsService(settings, poller, audit, events, clock),
                    new TelegramService(TelegramStore.open(database.client(), secrets),
                            new RoleLeaseStore(database.client()), config.telegramLeaseTtl(), audit, events, clock),
                    new AuditService(audit),
                    new FleetService(fleet::fleet, summaries::spark),
                    new ReportsService(new Reports(database.client()), clock),
                    new EventsService(events))) {
                routing.register(access.service(resource));
            }
            new UiService(VigilServer.class.getClassLoader()).register(routing);
            ApiErrors.register(routing, access);
            WebServer web = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .maxPayloadSize(MAX_PAYLOAD)
                    .directHandlers(ApiErrors.directHandlers())
                    // Helidon 4.1.7's URI validation refuses ':' in a query (helidon-io/helidon#9862, fixed in
                    // 4.2), which every ISO-8601 "from=…T10:00:00Z" has; the handlers parse their own parameters.
                    .addProtocol(Http1Config.builder().validatePath(false).validatePrologue(false).build())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
            if (!web.isRunning()) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
                        + " (is the port in use? set VIGIL_SERVER_PORT)");
            }
            return new VigilServer(database, retention, samples, poller, streams, backfill, decider, gate, dispatcher,
                    events, summaries, rulesFolder, web, access, accounts, ownership);
        } catch (RuntimeException e) {
            events.close();
            ownership.close();
            rulesFolder.close();
            retention.close();
            streams.close();
            poller.close();
            backfill.close();
            summaries.close();
            decider.close();
            gate.close();
            dispatcher.close();
            samples.close();
            database.close();
            throw e;
        }
    }

    public int port() {
        return web.port();
    }

    @Override
    public void close() {
        LOG.info("Vigil server stopping");
        events.close();
        web.stop();
        rules.close();
        streams.close();
        poller.close();
        backfill.close();
        summaries.close();
        decider.close();
        gate.close();
        dispatcher.close();
        samples.close();
        retention.close();
        ownership.close();
        database.close();
    }
}
