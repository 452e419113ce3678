package dev.vigil.server;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Warning;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.gate.Gate;
import dev.vigil.server.gate.StoredHistory;
import dev.vigil.server.gate.Verdict;
import dev.vigil.server.poll.PollOutcome;
import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.api.EventsService;
import dev.vigil.server.store.EventStore;
import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.EmbeddedMariaDb;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.IncidentStore;
import dev.vigil.server.store.MaintenanceStore;
import dev.vigil.server.store.SampleWriter;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MariaDB stopped for 60 s while three hosts are polled every second: every sample polled in that minute is
 * in the table once the database is back (rows counted), and nothing was dropped. The gate's decisions of that
 * minute (an incident opened and resolved, a restart proposed) wait in order and are recorded too.
 */
class OutageIT {
    private static final int HOSTS = 3;

    @Test
    void stoppingTheDatabaseForAMinuteLosesNoSample() throws Exception {
        Path dataDir = TestDatabase.testDir("outage-it");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedMariaDb mariadb = EmbeddedMariaDb.start(dataDir, port);
        ServerConfig.ExternalDatabase db = new ServerConfig.ExternalDatabase(mariadb.jdbcUrl(), "root", "");
        Set<String> polled = ConcurrentHashMap.newKeySet();
        try (Agent agent = Agent.start(AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                     "vigil.agent.host", "127.0.0.1", "vigil.agent.port", "0", "vigil.agent.token", "read",
                     "vigil.agent.sample.interval", "500ms")))));
             Database database = Database.open(new ServerConfig("127.0.0.1", 0, Optional.of(db), dataDir,
                     Optional.empty(), Path.of("rules"), true, 14, 10, ServerConfig.Security.DEFAULTS, List.of(), true, TestDatabase.replica(),
                ServerConfig.TELEGRAM_LEASE_TTL));
             SampleWriter writer = new SampleWriter(database.client(), Database.statement("insert-sample"),
                     SampleWriter.Settings.DEFAULTS);
             Poller poller = new Poller(new Poller.Settings(Duration.ofMillis(500), Duration.ofSeconds(2), 16, 3,
                     4 * 1024 * 1024), 10, (hostId, answer, at) -> {
                         polled.add(hostId + "@" + answer.snapshot().collectedAt());
                         writer.accept(hostId, answer.snapshot(), at);
                     }, Clock.systemUTC(), AgentTls.context(List.of()))) {
            for (long id = 1; id <= HOSTS; id++) {
                poller.registered(new Host(id, "host-" + id, URI.create("http://127.0.0.1:" + agent.port()),
                        Optional.of(1), Optional.empty(), Map.of(), Host.Policy.NONE, false, Instant.now(), Instant.now()),
                        new Host.Credentials("read", Optional.empty()));
            }
            Thread.sleep(5_000);

            Gate gate = new Gate(new IncidentStore(database.client()), new ActionStore(database.client()),
                    new AuditLog(database.client()), id -> Optional.of(new Host(id, "host-" + id,
                            URI.create("http://127.0.0.1:1"), Optional.of(1), Optional.empty(), Map.of(),
                            new Host.Policy(List.of("nginx.service"), List.of(), false, false, false), true, Instant.now(),
                            Instant.now())), new StoredHistory(new ActionStore(database.client()),
                    new MaintenanceStore(database.client())), Verdict.Limits.DEFAULTS, () -> true, Clock.systemUTC(),
                    database::reachable, action -> {
                    }, new EventBus(Clock.systemUTC(), new EventStore(database.client()), "outage",
                    EventsService::json, Duration.ofMillis(200)));

            mariadb.close();
            int before = polled.size();
            Warning full = new Warning(1, "disk", "/", Warning.WARNING, "/ is 91% full");
            gate.raised(full);
            gate.proposed(Remediation.restart(1, "nginx.service", "service:nginx.service",
                    "nginx.service is failed (failed)"));
            gate.cleared(full);
            assertEquals(3, gate.waiting(), "the decisions wait for the database; the caller did not");
            Thread.sleep(60_000);
            int duringOutage = polled.size() - before;
            assertTrue(duringOutage >= HOSTS * 50, "polling went on while the database was away: " + duringOutage);
            assertTrue(writer.bufferDepth() > 0);

            mariadb = EmbeddedMariaDb.start(dataDir, port);
            Thread.sleep(3_000);
            long recordedBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (gate.waiting() > 0 && System.nanoTime() < recordedBy) {
                Thread.sleep(200);
            }
            assertEquals(0, gate.waiting());
            assertEquals(0, gate.unrecorded());
            gate.close();
            assertEquals(1, count(db, "SELECT COUNT(*) FROM incidents WHERE incident_key = 'disk:/'"
                    + " AND state = 'resolved'"), "opened and resolved, in that order");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM actions WHERE type = 'restart_service'"
                    + " AND status = 'dry_run'"));
            poller.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && (writer.bufferDepth() > 0 || rows(db) < polled.size())) {
                Thread.sleep(250);
            }
            assertEquals(polled.size(), rows(db), "every polled sample is stored");
            assertEquals(0, writer.droppedRows());
            assertEquals(0, writer.droppedDetails());
            assertTrue(poller.stats().polls(PollOutcome.OK) >= polled.size());
        } finally {
            mariadb.close();
        }
    }

    private static long rows(ServerConfig.ExternalDatabase db) throws Exception {
        return count(db, "SELECT COUNT(*) FROM samples");
    }

    private static long count(ServerConfig.ExternalDatabase db, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }
}
