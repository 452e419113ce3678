package dev.vigil.server.poll;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.server.CapturedLog;
import dev.vigil.server.store.Host;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The poller against the real agent and against stand-ins that misbehave in every way we know of. */
class PollerTest {
    private static final Poller.Settings FAST = new Poller.Settings(Duration.ofMillis(500), Duration.ofSeconds(1),
            64, 3, 4 * 1024 * 1024);

    private final List<Long> stored = new CopyOnWriteArrayList<>();
    private final Poller poller = new Poller(FAST, 10, (hostId, answer, at) -> stored.add(hostId), Clock.systemUTC(),
            AgentTls.context(List.of()));
    private final List<AutoCloseable> resources = new ArrayList<>();
    private long nextId = 1;

    @AfterEach
    void stop() throws Exception {
        poller.close();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    static Agent agent(int port) {
        return Agent.start(AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                "vigil.agent.host", "127.0.0.1", "vigil.agent.port", Integer.toString(port),
                "vigil.agent.token", "read")))));
    }

    private long register(URI url, String token) {
        long id = nextId++;
        poller.registered(new Host(id, "host-" + id, url, Optional.of(1), Optional.empty(), Map.of(), Host.Policy.NONE, false,
                Instant.now(), Instant.now()), new Host.Credentials(token, Optional.empty()));
        return id;
    }

    private HostStatus await(long id, Predicate<HostStatus> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<HostStatus> status = poller.status(id);
            if (status.isPresent() && condition.test(status.get())) {
                return status.get();
            }
            Thread.sleep(50);
        }
        fail("host " + id + " did not reach the expected state within " + within + ": " + poller.status(id));
        return null;
    }

    @Test
    void theRealAgentIsPolledOnItsScheduleAndItsSnapshotStored() throws Exception {
        Agent agent = agent(0);
        resources.add(agent);
        long id = register(URI.create("http://127.0.0.1:" + agent.port()), "read");

        HostStatus up = await(id, s -> s.state().equals("up"), Duration.ofSeconds(5));
        assertEquals(PollOutcome.OK, up.lastPoll().orElseThrow().outcome());
        assertTrue(up.latest().orElseThrow().memoryPercent() > 0);
        Thread.sleep(3_000);
        long polls = stored.stream().filter(h -> h == id).count();
        assertTrue(polls >= 3 && polls <= 6, "a 1 s interval over about 4 s: " + polls + " polls");
    }

    @Test
    void everyKindOfBadAgentIsRecordedAsSuchAndMarkedDownWhileTheGoodOneKeepsItsSchedule() throws Exception {
        Agent good = agent(0);
        resources.add(good);
        long goodId = register(URI.create("http://127.0.0.1:" + good.port()), "read");
        Map<Long, PollOutcome> expected = new HashMap<>();
        Map<Long, String> reason = new HashMap<>();
        for (StandInAgent.Behaviour behaviour : StandInAgent.Behaviour.values()) {
            StandInAgent bad = new StandInAgent(behaviour);
            resources.add(bad);
            long id = register(bad.url(), "read");
            switch (behaviour) {
                case SLOW, STALLS_MID_BODY -> expected.put(id, PollOutcome.TIMEOUT);
                case SERVER_ERROR -> expected.put(id, PollOutcome.HTTP_ERROR);
                case GARBAGE -> {
                    expected.put(id, PollOutcome.BAD_PAYLOAD);
                    reason.put(id, "not JSON");
                }
                case WRONG_SHAPE -> {
                    expected.put(id, PollOutcome.BAD_PAYLOAD);
                    reason.put(id, "\"cpu\" is missing or not an object");
                }
                case HUGE, HUGE_UNDECLARED -> expected.put(id, PollOutcome.OVERSIZED);
                case UNAUTHORIZED -> expected.put(id, PollOutcome.UNAUTHORIZED);
            }
        }
        long closedPort = register(URI.create("http://127.0.0.1:1"), "read");
        expected.put(closedPort, PollOutcome.REFUSED);
        long wrongToken = register(URI.create("http://127.0.0.1:" + good.port()), "not-the-token");
        expected.put(wrongToken, PollOutcome.UNAUTHORIZED);

        for (Map.Entry<Long, PollOutcome> bad : expected.entrySet()) {
            HostStatus status = await(bad.getKey(), s -> s.state().equals("down"), Duration.ofSeconds(15));
            HostStatus.LastPoll last = status.lastPoll().orElseThrow();
            assertEquals(bad.getValue(), last.outcome(), "host " + bad.getKey() + ": " + last);
            if (reason.containsKey(bad.getKey())) {
                assertTrue(last.detail().contains(reason.get(bad.getKey())), last.detail());
            }
            assertTrue(status.latest().isEmpty());
        }
        HostStatus goodStatus = poller.status(goodId).orElseThrow();
        assertEquals("up", goodStatus.state());
        assertEquals(0, goodStatus.consecutiveFailures());
        assertTrue(stored.stream().allMatch(h -> h == goodId), "only the good agent's snapshots are stored");
        assertTrue(poller.stats().polls(PollOutcome.BAD_PAYLOAD) >= 6);
    }

    @Test
    void aPollThatCannotBeSentIsAFailedPollAndTheTokenIsNeverLogged() throws Exception {
        String injecting = "vigil-read-token\r\nX-Injected: 1";
        try (CapturedLog log = new CapturedLog()) {
            long badToken = register(URI.create("http://127.0.0.1:1"), injecting);
            long badUrl = register(URI.create("ftp://127.0.0.1:1/"), "read");

            HostStatus.LastPoll token = await(badToken, s -> s.state().equals("down"), Duration.ofSeconds(10))
                    .lastPoll().orElseThrow();
            assertEquals(PollOutcome.NOT_SENT, token.outcome());
            assertTrue(token.detail().startsWith("the stored read token is unusable: it must be visible ASCII"),
                    token.detail());
            assertTrue(token.detail().contains("character 17 is a line break"), token.detail());
            HostStatus.LastPoll url = await(badUrl, s -> s.state().equals("down"), Duration.ofSeconds(10))
                    .lastPoll().orElseThrow();
            assertEquals(PollOutcome.NOT_SENT, url.outcome());
            assertTrue(url.detail().startsWith("the request could not be built"), url.detail());
            assertTrue(poller.stats().polls(PollOutcome.NOT_SENT) >= 6);

            assertEquals(2, log.containing("is down after 3 failed polls (last: not_sent").size(), log.lines()
                    .toString());
            for (String part : injecting.split("\r\n")) {
                assertEquals(List.of(), log.containing(part));
            }
        }
    }

    @Test
    void aKilledAgentIsDownWithinThreeIntervalsAndUpAgainWhenItReturns() throws Exception {
        Agent agent = agent(0);
        int port = agent.port();
        long id = register(URI.create("http://127.0.0.1:" + port), "read");
        await(id, s -> s.state().equals("up"), Duration.ofSeconds(5));

        agent.close();
        Instant killed = Instant.now();
        HostStatus down = await(id, s -> s.state().equals("down"), Duration.ofSeconds(10));
        assertTrue(Duration.between(killed, Instant.now()).toMillis() <= 3 * 1000 + 1500,
                "down within 3 intervals of 1 s (plus a poll's own time)");
        assertEquals(PollOutcome.REFUSED, down.lastPoll().orElseThrow().outcome());
        assertTrue(down.latest().isPresent(), "the last good snapshot is kept while down");

        Agent back = agent(port);
        resources.add(back);
        await(id, s -> s.state().equals("up"), Duration.ofSeconds(5));
    }

    @Test
    void aRemovedHostIsNoLongerPolled() throws Exception {
        Agent agent = agent(0);
        resources.add(agent);
        long id = register(URI.create("http://127.0.0.1:" + agent.port()), "read");
        await(id, s -> s.state().equals("up"), Duration.ofSeconds(5));
        poller.removed(id);
        Thread.sleep(300);
        int before = stored.size();
        Thread.sleep(2_500);
        assertEquals(before, stored.size());
        assertTrue(poller.status(id).isEmpty());
    }
}
