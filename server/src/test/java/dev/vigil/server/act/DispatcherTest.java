package dev.vigil.server.act;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.vigil.server.ActionEndpoint;
import dev.vigil.server.CapturedLog;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.events.Event;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.store.Action;
import dev.vigil.server.api.EventsService;
import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.EventStore;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.Incident;
import dev.vigil.server.store.IncidentStore;
import dev.vigil.server.store.SecretBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The act stage on the real database against an agent's action endpoint on loopback that answers as the test
 * scripts it: outcomes, retries under the same id, refusals, garbage, no agent at all, and resuming after a stop.
 */
class DispatcherTest {
    private static final Dispatcher.Settings FAST = new Dispatcher.Settings(3, Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private Database database;
    private HostStore hosts;
    private ActionStore actions;
    private IncidentStore incidents;
    private AuditLog audit;
    private EventBus events;
    private final List<Event> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        ServerConfig config = TestDatabase.serverConfig();
        database = Database.open(config);
        hosts = new HostStore(database.client(), SecretBox.open(Optional.empty(), config.dataDir()));
        actions = new ActionStore(database.client());
        incidents = new IncidentStore(database.client());
        audit = new AuditLog(database.client());
        events = new EventBus(Clock.systemUTC(), new EventStore(database.client()), "test", EventsService::json,
                Duration.ofMillis(200));
        events.subscribe(published::add);
    }

    @AfterEach
    void close() {
        events.close();
        database.close();
    }

    private Host host(URI url, Optional<String> actionToken) {
        return hosts.create(new Host.Spec("web-" + UUID.randomUUID().toString().substring(0, 8), url,
                Optional.of("read-token"), actionToken, Optional.of(10), Optional.empty(), Map.of(),
                new Host.Policy(List.of("nginx.service"), List.of(), false, false, false)));
    }

    private Action approved(Host host, Optional<Long> incident) {
        Action action = Action.judged(UUID.randomUUID(), host.id(), "restart_service", "nginx.service", Optional.empty(),
                Optional.empty(), "nginx.service is failed (failed)", Action.APPROVED, "approved by the gate",
                "rules", "gate", Instant.now(), incident);
        actions.insert(action);
        return action;
    }

    private Dispatcher dispatcher() {
        return new Dispatcher(FAST, actions, incidents, audit, hosts, events, Clock.systemUTC(), database::reachable,
                AgentTls.context(List.of()));
    }

    /** The action once the act stage is done with it: the last step of an outcome is its action_finished event. */
    private Action settled(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (published.stream().anyMatch(event -> event.type().equals("action_finished")
                    && event.data().contains("\"id\":\"" + id + "\""))) {
                return actions.find(id).orElseThrow();
            }
            Thread.sleep(20);
        }
        return fail("action " + id + " has no outcome after 20 s: " + actions.find(id));
    }

    private List<String> trail(Action action) {
        return audit.of(action.auditSubject()).stream().map(e -> e.actor() + ":" + e.event()).toList();
    }

    @Test
    void anApprovedActionIsSentWithTheActionTokenAndItsOutcomeRecordedOnTheActionTheIncidentAndTheAudit()
            throws Exception {
        try (ActionEndpoint agent = new ActionEndpoint(); Dispatcher dispatcher = dispatcher()) {
            Host host = host(agent.url(), Optional.of("the-action-token"));
            Incident incident = incidents.raise(host.id(), "service:nginx.service", "service", "nginx.service",
                    "warning", "nginx.service is failed (failed)", Instant.now());
            Action action = approved(host, Optional.of(incident.id()));
            agent.then(200, "{\"id\":\"" + action.id() + "\",\"status\":\"succeeded\","
                    + "\"detail\":\"nginx.service is active (running)\"}");

            dispatcher.approved(action);
            Action done = settled(action.id());

            assertEquals(Action.SUCCEEDED, done.status());
            assertEquals("nginx.service is active (running)", done.detail());
            assertEquals(1, done.attempts());
            assertTrue(done.dispatchedAt().isPresent() && done.finishedAt().isPresent());
            assertEquals(1, agent.requests().size());
            ActionEndpoint.Request sent = agent.requests().getFirst();
            assertEquals("Bearer the-action-token", sent.authorization());
            assertEquals(action.id().toString(), sent.body().getString("id"));
            assertEquals("restart_service", sent.body().getString("type"));
            assertEquals("nginx.service", sent.body().getString("target"));

            Incident remediated = incidents.find(incident.id()).orElseThrow();
            assertEquals(Optional.of(action.id()), remediated.actionId());
            assertEquals(Optional.of(Action.SUCCEEDED), remediated.actionStatus());
            assertTrue(remediated.remediatedAt().isPresent());
            assertEquals(List.of("act:action_dispatched", "agent:action_succeeded"), trail(action));
            assertEquals(List.of("action_dispatched", "action_finished"),
                    published.stream().map(Event::type).toList());
            assertEquals(Map.of("dry_run", 0L, "failed", 0L, "refused", 0L, "succeeded", 1L), dispatcher.outcomes());
        }
    }

    @Test
    void anAgentThatDoesNotAnswerIsAskedAgainUnderTheSameIdUntilItDoes() throws Exception {
        try (ActionEndpoint agent = new ActionEndpoint(); Dispatcher dispatcher = dispatcher()) {
            Action action = approved(host(agent.url(), Optional.of("t")), Optional.empty());
            agent.then(503, "{\"error\":\"busy\"}").then(502, "")
                    .then(200, "{\"status\":\"succeeded\",\"detail\":\"done\",\"replayed\":true}");

            dispatcher.approved(action);
            Action done = settled(action.id());

            assertEquals(Action.SUCCEEDED, done.status());
            assertEquals(3, done.attempts());
            assertEquals(3, agent.requests().size());
            assertTrue(agent.requests().stream().allMatch(r -> r.body().getString("id").equals(action.id().toString())),
                    "every attempt carries the same id");
            assertEquals(2, dispatcher.retries());
            assertEquals(List.of("act:action_dispatched", "agent:action_succeeded"), trail(action),
                    "retries are logged, not audited as new dispatches");
        }
    }

    @Test
    void theAgentsOwnRefusalIsRecordedAsRefusedAndNotRetried() throws Exception {
        try (ActionEndpoint agent = new ActionEndpoint(); Dispatcher dispatcher = dispatcher()) {
            Action action = approved(host(agent.url(), Optional.of("t")), Optional.empty());
            agent.then(403, "{\"id\":\"" + action.id() + "\",\"status\":\"refused\",\"detail\":\"nginx.service is"
                    + " not in VIGIL_AGENT_ALLOWED_SERVICES\"}");

            dispatcher.approved(action);
            Action done = settled(action.id());

            assertEquals(Action.REFUSED, done.status());
            assertTrue(done.detail().contains("VIGIL_AGENT_ALLOWED_SERVICES"), done.detail());
            assertEquals(1, agent.requests().size());
        }
    }

    @Test
    void aWrongTokenGarbageAndAnOldAgentEachFailWithAClearDetail() throws Exception {
        try (ActionEndpoint agent = new ActionEndpoint(); Dispatcher dispatcher = dispatcher()) {
            Host host = host(agent.url(), Optional.of("t"));
            agent.then(401, "{\"error\":\"unauthorized\"}").then(200, "<html>hello</html>")
                    .then(501, "{\"status\":\"refused\"}");
            List<String> details = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Action action = approved(host, Optional.empty());
                dispatcher.approved(action);
                Action done = settled(action.id());
                assertEquals(Action.FAILED, done.status(), done.detail());
                details.add(done.detail());
            }
            assertTrue(details.get(0).contains("does not accept the action token"), details.get(0));
            assertTrue(details.get(1).contains("not an action result"), details.get(1));
            assertTrue(details.get(2).contains("does not carry out actions"), details.get(2));
            assertEquals(3, agent.requests().size(), "none of these is retried");
        }
    }

    @Test
    void noAgentListeningFailsAfterTheLastAttemptAndAHostWithoutActionTokenIsNeverCalled() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ActionEndpoint agent = new ActionEndpoint(); Dispatcher dispatcher = dispatcher()) {
            Action unreachable = approved(host(URI.create("http://127.0.0.1:" + closedPort), Optional.of("t")),
                    Optional.empty());
            Action tokenless = approved(host(agent.url(), Optional.empty()), Optional.empty());
            dispatcher.approved(unreachable);
            dispatcher.approved(tokenless);

            Action gaveUp = settled(unreachable.id());
            assertEquals(Action.FAILED, gaveUp.status());
            assertEquals(3, gaveUp.attempts());
            assertTrue(gaveUp.detail().contains("no answer from the agent after 3 attempts (connection refused)"),
                    gaveUp.detail());
            Action notSent = settled(tokenless.id());
            assertEquals(Action.FAILED, notSent.status());
            assertTrue(notSent.detail().contains("has no action token"), notSent.detail());
            assertEquals(0, agent.requests().size());
        }
    }

    @Test
    void anActionWhoseRequestCannotBeBuiltFailsClearlyAndItsTokenIsNeverLogged() throws Exception {
        String injecting = "vigil-action-token\nX-Injected: 1";
        try (CapturedLog log = new CapturedLog(); ActionEndpoint agent = new ActionEndpoint();
             Dispatcher dispatcher = dispatcher()) {
            Action storedBadToken = approved(host(agent.url(), Optional.of(injecting)), Optional.empty());
            Action notHttp = approved(host(URI.create("ftp://127.0.0.1:1/"), Optional.of("t")), Optional.empty());
            dispatcher.approved(storedBadToken);
            dispatcher.approved(notHttp);

            Action token = settled(storedBadToken.id());
            assertEquals(Action.FAILED, token.status());
            assertTrue(token.detail().startsWith("not sent: the action token stored for web-"), token.detail());
            assertTrue(token.detail().contains("is unusable: it must be visible ASCII characters without spaces or"
                    + " control characters: character 19 is a line break"), token.detail());
            Action url = settled(notHttp.id());
            assertEquals(Action.FAILED, url.status());
            assertTrue(url.detail().startsWith("not sent: the request could not be built"), url.detail());
            assertEquals(0, agent.requests().size());

            assertEquals(2, log.await(": failed — not sent: ", 2, Duration.ofSeconds(5)).size(), log.lines().toString());
            for (String part : injecting.split("\n")) {
                assertEquals(List.of(), log.containing(part));
            }
        }
    }

    @Test
    void anOutcomeIsWrittenWithItsAuditEntryOrNotAtAll() {
        Host host = host(URI.create("http://127.0.0.1:9"), Optional.of("t"));
        Action notSent = approved(host, Optional.empty());
        assertFalse(actions.finish(notSent.id(), Action.SUCCEEDED, "early", Instant.now(), audit, "agent",
                notSent.auditSubject(), "early"), "an approved action that was never dispatched has no outcome yet");
        assertEquals(Action.APPROVED, actions.find(notSent.id()).orElseThrow().status());
        assertEquals(List.of(), trail(notSent));

        actions.dispatching(notSent.id(), Instant.now());
        assertTrue(actions.finish(notSent.id(), Action.FAILED, "exit 1", Instant.now(), audit, "agent",
                notSent.auditSubject(), "exit 1"));
        assertEquals(Action.FAILED, actions.find(notSent.id()).orElseThrow().status());
        assertEquals(List.of("agent:action_failed"), trail(notSent));
        assertFalse(actions.finish(notSent.id(), Action.SUCCEEDED, "late", Instant.now(), audit, "agent",
                notSent.auditSubject(), "late"), "a second answer changes nothing");
        assertEquals(List.of("agent:action_failed"), trail(notSent));
    }

    @Test
    void actionsInFlightAtAStopAreSentAgainUnderTheirIdsWhenTheNextDispatcherResumes() throws Exception {
        try (ActionEndpoint agent = new ActionEndpoint()) {
            Host host = host(agent.url(), Optional.of("t"));
            Action inFlight = approved(host, Optional.empty());
            assertTrue(actions.dispatching(inFlight.id(), Instant.now()), "the previous run had sent it");
            Action neverSent = approved(host, Optional.empty());
            Action finished = approved(host, Optional.empty());
            actions.dispatching(finished.id(), Instant.now());
            actions.finish(finished.id(), Action.SUCCEEDED, "done before the stop", Instant.now(), audit, "agent",
                    finished.auditSubject(), "done before the stop");
            agent.then(200, "{\"status\":\"succeeded\",\"detail\":\"replayed from the journal\",\"replayed\":true}")
                    .then(200, "{\"status\":\"succeeded\",\"detail\":\"restarted\"}");

            try (Dispatcher dispatcher = dispatcher()) {
                assertEquals(2, dispatcher.resume(host.id()));
                assertEquals(Action.SUCCEEDED, settled(inFlight.id()).status());
                assertEquals(Action.SUCCEEDED, settled(neverSent.id()).status());
            }
            assertEquals(2, agent.requests().size());
            assertEquals(Set.of(inFlight.id().toString(), neverSent.id().toString()),
                    agent.requests().stream().map(r -> r.body().getString("id")).collect(
                            Collectors.toSet()));
            assertEquals(2, actions.find(inFlight.id()).orElseThrow().attempts(), "its second send, same id");
            assertEquals(List.of("agent:action_succeeded"), trail(inFlight),
                    "the dispatch was audited by the run that first sent it, not again");
        }
    }
}
