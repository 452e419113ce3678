package dev.vigil.server;

import java.time.Clock;
import java.util.logging.Logger;

import dev.vigil.server.api.ApiErrors;
import dev.vigil.server.api.HealthService;
import dev.vigil.server.api.HostsService;
import dev.vigil.server.api.MetricsService;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.History;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.Retention;
import dev.vigil.server.store.SampleWriter;
import dev.vigil.server.store.SecretBox;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;

/** The running server: database, stores and the HTTP API, wired from a {@link ServerConfig}. */
public final class VigilServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VigilServer.class.getName());
    private static final long MAX_PAYLOAD = 1024 * 1024;

    private final Database database;
    private final Retention retention;
    private final SampleWriter samples;
    private final Poller poller;
    private final WebServer web;

    private VigilServer(Database database, Retention retention, SampleWriter samples, Poller poller, WebServer web) {
        this.database = database;
        this.retention = retention;
        this.samples = samples;
        this.poller = poller;
        this.web = web;
    }

    public static VigilServer start(ServerConfig config) {
        Database database = Database.open(config);
        Retention retention;
        try {
            retention = new Retention(database.client(), config.retentionDays(), Clock.systemUTC());
            retention.run();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        retention.start();
        SampleWriter samples = new SampleWriter(database.client(), Database.statement("insert-sample"),
                SampleWriter.Settings.DEFAULTS);
        Poller poller = new Poller(Poller.Settings.DEFAULTS, samples, Clock.systemUTC());
        try {
            HostStore hosts = new HostStore(database.client(), SecretBox.open(config.secretKey(), config.dataDir()));
            hosts.addListener(poller);
            for (Host host : hosts.list()) {
                poller.registered(host, hosts.credentials(host.id()).orElseThrow());
            }
            HttpRouting.Builder routing = HttpRouting.builder()
                    .register(new HealthService(database::reachable), new MetricsService(poller, samples),
                            new HostsService(hosts, poller::status, new History(database.client()), Clock.systemUTC()));
            ApiErrors.register(routing);
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
            return new VigilServer(database, retention, samples, poller, web);
        } catch (RuntimeException e) {
            retention.close();
            poller.close();
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
        web.stop();
        poller.close();
        samples.close();
        retention.close();
        database.close();
    }
}
