package dev.vigil.server.poll;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.store.AgentToken;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.Host.Credentials;
import dev.vigil.server.store.HostStore;

/**
 * Polls every registered agent on its own schedule: a random first offset within the interval spreads the
 * fleet, a poll never overlaps the previous one of the same host, and at most {@code maxConcurrent} polls run
 * at once, each on a virtual thread with connect and read timeouts over keep-alive connections. Every
 * outcome is counted; a host is down after {@code failuresUntilDown} failures in a row and up at the next
 * success. A bad answer from one agent touches nothing but that agent's status.
 */
public final class Poller implements HostStore.Listener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Poller.class.getName());

    public record Settings(Duration connectTimeout, Duration readTimeout, int maxConcurrent, int failuresUntilDown,
                           int maxBodyBytes) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 256, 3,
                4 * 1024 * 1024);
    }

    /**
     * A polled host; {@code unsendable}: why its stored read token cannot be sent, found once at registration;
     * {@code running}: one permit, held by the poll under way (scheduled or asked for), so polls never overlap.
     */
    private record Target(Host host, Credentials credentials, Optional<String> unsendable, URI metrics,
                          Semaphore running, ScheduledFuture<?> schedule) {
    }

    /** A registered host and what the poller knows of it now. */
    public record Polled(Host host, HostStatus status) {
    }

    /**
     * A good poll after failed ones, or the first since the server started: where the stored samples may have a
     * gap, between the last known sample ({@code lastCollectedAt}; empty: ask the store) and the one just polled.
     *
     * @param metrics the agent's metrics URL; {@code token} its read token
     */
    public record Recovered(Host host, String token, URI metrics, Optional<Instant> lastCollectedAt,
                            Instant collectedAt, Duration interval) {
        @Override
        public String toString() {
            return "Recovered[" + host.name() + " " + metrics + " " + lastCollectedAt + " → " + collectedAt + "]";
        }
    }

    /** Who hears of recoveries (one listener: the backfill). */
    public interface Recovery {
        void recovered(Recovered recovered);
    }

    private record Result(PollOutcome outcome, String detail, Optional<AgentSnapshot.Parsed> answer) {
        static Result failed(PollOutcome outcome, String detail) {
            return new Result(outcome, detail, Optional.empty());
        }
    }

    private final Settings settings;
    private final SampleSink sink;
    private final Clock clock;
    private final AgentClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-poll-timer").daemon().factory());
    private final ExecutorService polls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("poll-", 0).factory());
    private final Semaphore slots;
    private final Map<Long, Target> targets = new ConcurrentHashMap<>();
    private final Map<Long, HostStatus> statuses = new ConcurrentHashMap<>();
    private final PollStats stats = new PollStats();
    /** The interval of hosts without one of their own (the settings' poll interval). */
    private volatile int defaultInterval;
    private volatile Recovery recovery = recovered -> {
    };
    private volatile HostTransitions transitions = new HostTransitions() {
        @Override
        public void down(long hostId, Instant since, String reason) {
        }

        @Override
        public void up(long hostId) {
        }
    };

    /**
     * @param defaultInterval seconds between polls of a host without an interval of its own
     * @param tls             what agents' HTTPS certificates are checked against ({@link AgentTls#context})
     */
    public Poller(Settings settings, int defaultInterval, SampleSink sink, Clock clock, SSLContext tls) {
        this.settings = settings;
        this.defaultInterval = defaultInterval;
        this.sink = sink;
        this.clock = clock;
        this.slots = new Semaphore(settings.maxConcurrent());
        this.client = new AgentClient(settings.connectTimeout(), settings.readTimeout(), settings.maxBodyBytes(),
                tls);
    }

    @Override
    public synchronized void registered(Host host, Credentials credentials) {
        schedule(host, credentials, 2000);
    }

    /** The host's poll interval: its own, or the default. */
    public int interval(Host host) {
        return host.intervalSeconds().orElse(defaultInterval);
    }

    /**
     * The interval of hosts without one of their own; when it changes, they are scheduled anew, each first poll at
     * a random point of the new interval (so the fleet stays spread).
     */
    public synchronized void defaultInterval(int seconds) {
        if (seconds == defaultInterval) {
            return;
        }
        defaultInterval = seconds;
        for (Target target : List.copyOf(targets.values())) {
            if (target.host().intervalSeconds().isEmpty()) {
                schedule(target.host(), target.credentials(), seconds * 1000L);
            }
        }
    }

    /**
     * (Re)schedules the host, its first poll at a random point within {@code firstWithinMillis} (or its interval);
     * a rescheduled host keeps its permit, so a poll under way still keeps the next one from overlapping it.
     */
    private void schedule(Host host, Credentials credentials, long firstWithinMillis) {
        Semaphore running = unschedule(host.id()).map(Target::running).orElseGet(() -> new Semaphore(1));
        long intervalMillis = interval(host) * 1000L;
        URI metrics = URI.create(host.url().toString().replaceAll("/+$", "") + "/api/v1/metrics");
        Target[] self = new Target[1];
        ScheduledFuture<?> schedule = timer.scheduleAtFixedRate(() -> dispatch(self[0]),
                ThreadLocalRandom.current().nextLong(Math.min(intervalMillis, firstWithinMillis)), intervalMillis,
                TimeUnit.MILLISECONDS);
        self[0] = new Target(host, credentials, AgentToken.problem(credentials.token()), metrics, running, schedule);
        targets.put(host.id(), self[0]);
        statuses.putIfAbsent(host.id(), HostStatus.unknown(host.id()));
    }

    @Override
    public synchronized void removed(long hostId) {
        unschedule(hostId);
        statuses.remove(hostId);
    }

    private Optional<Target> unschedule(long hostId) {
        Optional<Target> old = Optional.ofNullable(targets.remove(hostId));
        old.ifPresent(target -> target.schedule().cancel(false));
        return old;
    }

    public Optional<HostStatus> status(long hostId) {
        return Optional.ofNullable(statuses.get(hostId));
    }

    /** How many hosts are in each state ({@code unknown}, {@code up}, {@code down}). */
    public Map<String, Long> countByState() {
        Map<String, Long> counts = new java.util.TreeMap<>(Map.of("unknown", 0L, "up", 0L, "down", 0L));
        statuses.values().forEach(status -> counts.merge(status.state(), 1L, Long::sum));
        return counts;
    }

    /** Every registered host with its status, from memory: no database is asked. */
    public List<Polled> fleet() {
        List<Polled> fleet = new ArrayList<>(targets.size());
        targets.values().forEach(target -> {
            HostStatus status = statuses.get(target.host().id());
            if (status != null) {
                fleet.add(new Polled(target.host(), status));
            }
        });
        return fleet;
    }

    /**
     * Polls the host now, by the same path as its schedule (the answer is stored and goes to the rules), after the
     * poll under way, if any, has ended; the host's next scheduled tick stays where it was. Empty when no such
     * host is registered.
     */
    public Optional<HostStatus.LastPoll> refresh(long hostId) throws InterruptedException {
        Target target = targets.get(hostId);
        if (target == null) {
            return Optional.empty();
        }
        // a poll under way ends within connect + read timeout (the whole exchange is bounded)
        if (!target.running().tryAcquire(settings.connectTimeout().plus(settings.readTimeout()).toMillis() + 1000,
                TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the poll of host " + hostId + " under way did not end");
        }
        try {
            pollInSlot(target);
        } finally {
            target.running().release();
        }
        return status(hostId).flatMap(HostStatus::lastPoll);
    }

    public PollStats stats() {
        return stats;
    }

    private void dispatch(Target target) {
        if (target == null || !target.running().tryAcquire()) {
            stats.skipped();
            return;
        }
        polls.execute(() -> {
            try {
                pollInSlot(target);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Polling " + target.host().name() + " failed unexpectedly", e);
            } finally {
                target.running().release();
            }
        });
    }

    /** Polls once one of the {@code maxConcurrent} slots is free. */
    private void pollInSlot(Target target) throws InterruptedException {
        slots.acquire();
        try {
            poll(target);
        } finally {
            slots.release();
        }
    }

    private void poll(Target target) throws InterruptedException {
        long started = System.nanoTime();
        Result result = fetch(target);
        long nanos = System.nanoTime() - started;
        stats.record(result.outcome(), nanos);
        Instant now = clock.instant();
        result.answer().ifPresent(answer -> sink.accept(target.host().id(), answer, now));
        if (!targets.containsKey(target.host().id())) {
            return; // removed while this poll ran
        }
        HostStatus before = statuses.get(target.host().id());
        if (result.answer().isPresent() && (before == null || before.consecutiveFailures() > 0
                || before.latest().isEmpty())) {
            recovery.recovered(new Recovered(target.host(), target.credentials().token(), target.metrics(),
                    before == null ? Optional.empty() : before.latest().map(AgentSnapshot::collectedAt),
                    result.answer().get().snapshot().collectedAt(), Duration.ofSeconds(interval(target.host()))));
        }
        HostStatus after = statuses.compute(target.host().id(), (id, previous) -> next(target.host(), previous,
                result, now, nanos / 1_000_000));
        boolean wasDown = before != null && before.state().equals("down");
        if (after.state().equals("down") && !wasDown) {
            transitions.down(target.host().id(), now, result.outcome().label() + ": " + result.detail());
        } else if (after.state().equals("up") && wasDown) {
            transitions.up(target.host().id());
        }
    }

    public void onRecovery(Recovery listener) {
        this.recovery = listener;
    }

    /** Who hears of hosts going down and coming back (one listener: the decide stage). */
    public void onTransitions(HostTransitions listener) {
        this.transitions = listener;
    }

    private HostStatus next(Host host, HostStatus before, Result result, Instant now, long millis) {
        HostStatus previous = before == null ? HostStatus.unknown(host.id()) : before;
        HostStatus.LastPoll last = new HostStatus.LastPoll(now, result.outcome(), result.detail(), millis);
        if (result.outcome() == PollOutcome.OK) {
            if (!previous.state().equals("up")) {
                LOG.info("Host " + host.name() + " is up");
            }
            return new HostStatus(host.id(), "up", Optional.of(last), 0,
                    result.answer().map(AgentSnapshot.Parsed::snapshot), Optional.of(now));
        }
        int failures = previous.consecutiveFailures() + 1;
        String state = failures >= settings.failuresUntilDown() ? "down" : previous.state();
        if (state.equals("down") && !previous.state().equals("down")) {
            LOG.warning("Host " + host.name() + " is down after " + failures + " failed polls (last: "
                    + result.outcome().label() + ": " + result.detail() + ")");
        }
        return new HostStatus(host.id(), state, Optional.of(last), failures, previous.latest(),
                previous.latestReceivedAt());
    }

    private Result fetch(Target target) throws InterruptedException {
        if (target.unsendable().isPresent()) {
            return Result.failed(PollOutcome.NOT_SENT, "the stored read token is unusable: it "
                    + target.unsendable().get() + "; set a new \"token\" with PUT /api/v1/hosts/" + target.host().id());
        }
        AgentClient.Answer answer = client.get(target.metrics(), target.credentials().token());
        if (answer.outcome() != PollOutcome.OK) {
            return Result.failed(answer.outcome(), answer.detail());
        }
        try {
            return new Result(PollOutcome.OK, "", Optional.of(AgentSnapshot.read(answer.body())));
        } catch (AgentSnapshot.BadPayload e) {
            return Result.failed(PollOutcome.BAD_PAYLOAD, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        polls.shutdownNow();
        client.close();
    }
}
