package dev.vigil.server;

import java.util.logging.Logger;

import dev.vigil.server.api.ApiErrors;
import dev.vigil.server.api.HealthService;
import dev.vigil.server.api.HostsService;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.SecretBox;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/** The running server: database, stores and the HTTP API, wired from a {@link ServerConfig}. */
public final class VigilServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VigilServer.class.getName());
    private static final long MAX_PAYLOAD = 1024 * 1024;

    private final Database database;
    private final WebServer web;

    private VigilServer(Database database, WebServer web) {
        this.database = database;
        this.web = web;
    }

    public static VigilServer start(ServerConfig config) {
        Database database = Database.open(config);
        try {
            HostStore hosts = new HostStore(database.client(), SecretBox.open(config.secretKey(), config.dataDir()));
            HttpRouting.Builder routing = HttpRouting.builder()
                    .register(new HealthService(database::reachable), new HostsService(hosts));
            ApiErrors.register(routing);
            WebServer web = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .maxPayloadSize(MAX_PAYLOAD)
                    .directHandlers(ApiErrors.directHandlers())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
            if (!web.isRunning()) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
                        + " (is the port in use? set VIGIL_SERVER_PORT)");
            }
            return new VigilServer(database, web);
        } catch (RuntimeException e) {
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
        database.close();
    }
}
