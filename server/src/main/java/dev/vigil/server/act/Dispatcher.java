package dev.vigil.server.act;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import dev.vigil.server.Histogram;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.gate.Dispatch;
import dev.vigil.server.store.Action;
import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.AgentToken;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.IncidentStore;

/**
 * The act stage: sends each approved action to its host's agent with the host's action token and records what
 * the agent answered, on the action, on its incident, in the audit log and as an event.
 *
 * <p>Exactly once: the action's row (and its id) is stored before it gets here; it is marked {@code dispatched}
 * before the first request; a lost answer is asked again under the same id, which the agent answers from its
 * journal without running the action again. Actions still approved or dispatched when the server stopped are
 * sent again when the host comes to this server, at start or from a replica ({@link #resume}).
 */
public final class Dispatcher implements Dispatch, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final String ACTOR = "act";

    /**
     * @param attempts      requests per action before it is given up as failed
     * @param firstRetry    pause after the first failed attempt, doubled after each one up to {@code maxRetry}
     * @param answerTimeout how long one request waits for the agent (restarts wait for systemd's job)
     */
    public record Settings(int attempts, Duration firstRetry, Duration maxRetry, Duration connectTimeout,
                           Duration answerTimeout) {
        public static final Settings DEFAULTS = new Settings(5, Duration.ofSeconds(1), Duration.ofSeconds(15),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    private final Settings settings;
    private final ActionStore actions;
    private final IncidentStore incidents;
    private final AuditLog audit;
    private final HostStore hosts;
    private final EventBus events;
    private final Clock clock;
    private final BooleanSupplier databaseReachable;
    private final AgentActions agents;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder retries = new LongAdder();
    private final Histogram approvalToOutcome = new Histogram();
    private volatile boolean running = true;

    public Dispatcher(Settings settings, ActionStore actions, IncidentStore incidents, AuditLog audit, HostStore hosts,
                      EventBus events, Clock clock, BooleanSupplier databaseReachable, SSLContext agentTls) {
        this.settings = settings;
        this.actions = actions;
        this.incidents = incidents;
        this.audit = audit;
        this.hosts = hosts;
        this.events = events;
        this.clock = clock;
        this.databaseReachable = databaseReachable;
        this.agents = new AgentActions(settings.connectTimeout(), settings.answerTimeout(), agentTls);
        for (String outcome : List.of(Action.SUCCEEDED, Action.FAILED, Action.REFUSED, Action.DRY_RUN)) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    @Override
    public void approved(Action action) {
        start(action.id());
    }

    /**
     * Sends again what was approved or in flight for the host when the server last stopped, or when the replica that
     * had the host died; same ids, so nothing runs twice. An action already under way here is not sent again.
     */
    public int resume(long hostId) {
        List<Action> unfinished = actions.unfinished(hostId);
        if (!unfinished.isEmpty()) {
            LOG.info("Resuming " + unfinished.size() + " actions of host " + hostId + " approved or in flight before"
                    + " the last stop or move; agents answer a repeated id from their journal without running it"
                    + " again");
        }
        unfinished.forEach(action -> start(action.id()));
        return unfinished.size();
    }

    private void start(UUID id) {
        if (running && inFlight.add(id)) {
            workers.execute(() -> {
                try {
                    carryOut(id);
                } catch (InterruptedException e) {
                    LOG.info("Action " + id + " interrupted by shutdown; it is sent again at the next start");
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "Action " + id + " could not be carried out or recorded; it stays as"
                            + " stored and is sent again at the next start", e);
                } finally {
                    inFlight.remove(id);
                }
            });
        }
    }

    private void carryOut(UUID id) throws InterruptedException {
        Optional<Action> found = recorded(() -> actions.find(id));
        if (found.isEmpty() || !(found.get().status().equals(Action.APPROVED)
                || found.get().status().equals(Action.DISPATCHED))) {
            return;
        }
        Action action = found.get();
        Optional<Host> host = recorded(() -> hosts.find(action.hostId()));
        Optional<String> token = host.isEmpty() ? Optional.empty()
                : recorded(() -> hosts.credentials(action.hostId())).flatMap(Host.Credentials::actionToken);
        Optional<String> unsendable = unsendable(host, token);
        if (unsendable.isPresent()) {
            if (recorded(() -> actions.dispatching(id, clock.instant()))) {
                finish(action, Action.FAILED, "not sent: " + unsendable.get(), 0);
            }
            return;
        }
        boolean firstSend = action.status().equals(Action.APPROVED);
        Duration pause = settings.firstRetry();
        String lastProblem = "";
        for (int attempt = 1; attempt <= settings.attempts() && running; attempt++) {
            if (!recorded(() -> actions.dispatching(id, clock.instant()))) {
                return;
            }
            if (attempt == 1) {
                recordDispatch(action, host.get(), firstSend);
            }
            AgentActions.Answer answer = agents.send(host.get().url(), token.get(), action);
            if (answer.settled()) {
                finish(action, answer.status(), answer.detail(), attempt);
                return;
            }
            lastProblem = answer.detail();
            retries.increment();
            LOG.warning("Action " + id + " (" + action.type() + " " + action.target() + " on " + host.get().name()
                    + "), attempt " + attempt + " of " + settings.attempts() + ": " + lastProblem
                    + (attempt < settings.attempts() ? "; trying again in " + pause.toMillis() + " ms, same id" : ""));
            if (attempt < settings.attempts()) {
                Thread.sleep(pause.toMillis());
                pause = min(pause.multipliedBy(2), settings.maxRetry());
            }
        }
        if (running) {
            finish(action, Action.FAILED, "no answer from the agent after " + settings.attempts() + " attempts ("
                    + lastProblem + "); if it received the action it ran it at most once", settings.attempts());
        }
    }

    /** Why nothing can be sent for this host, if so: no host, no action token, or one that cannot be a header. */
    private static Optional<String> unsendable(Optional<Host> host, Optional<String> actionToken) {
        if (host.isEmpty()) {
            return Optional.of("its host no longer exists");
        }
        if (actionToken.isEmpty()) {
            return Optional.of(host.get().name() + " has no action token: set action_token on the host to let Vigil act");
        }
        return AgentToken.problem(actionToken.get()).map(problem -> "the action token stored for " + host.get().name()
                + " is unusable: it " + problem + "; set a new action_token on the host");
    }

    private void recordDispatch(Action action, Host host, boolean firstSend) throws InterruptedException {
        if (!firstSend) {
            LOG.info("Action " + action.id() + " was in flight when the server stopped: asking " + host.name()
                    + " again under the same id");
            return;
        }
        Instant at = clock.instant();
        recorded(() -> {
            audit.record(at, ACTOR, "action_dispatched", action.auditSubject(), "sent to " + host.name() + " at "
                    + host.url());
            return null;
        });
        recorded(() -> actions.find(action.id())).ifPresent(sent -> events.publish("action_dispatched", sent));
    }

    private void finish(Action action, String status, String detail, int attempts) throws InterruptedException {
        Instant at = clock.instant();
        // the incident first: whoever sees the action's outcome sees its incident's too
        recorded(() -> {
            action.incidentId().ifPresent(incident -> incidents.remediation(incident, action.id(), status, at));
            return null;
        });
        String auditDetail = detail + (attempts > 1 ? " (answered on attempt " + attempts + ")" : "");
        if (!recorded(() -> actions.finish(action.id(), status, detail, at, audit, "agent", action.auditSubject(),
                auditDetail))) {
            return;
        }
        outcomes.get(status).increment();
        approvalToOutcome.observeNanos(Duration.between(action.updatedAt(), at).toNanos());
        LOG.info("Action " + action.id() + " " + action.type() + " " + action.target() + ": " + status + " — "
                + detail);
        recorded(() -> actions.find(action.id())).ifPresent(done -> events.publish("action_finished", done));
    }

    /**
     * Runs a database step; while the database is away it waits (growing pauses up to 10 s) and tries again, so
     * an outcome the agent reported is never lost to an outage.
     */
    private <T> T recorded(Supplier<T> step) throws InterruptedException {
        long pause = 250;
        while (true) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (!running || !Database.connectionLost(e) && databaseReachable.getAsBoolean()) {
                    throw e;
                }
                LOG.warning("The database is away; the act stage waits to record (" + e.getMessage() + ")");
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 10_000);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Outcomes so far, by status: succeeded, failed, refused, dry_run (the agent's own dry run). */
    public Map<String, Long> outcomes() {
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    public long retries() {
        return retries.sum();
    }

    /** From the approval (the action's last decision) to the agent's outcome recorded. */
    public Histogram approvalToOutcome() {
        return approvalToOutcome;
    }

    public int inFlight() {
        return inFlight.size();
    }

    /** Stops sending; what is in flight stays {@code dispatched} and is sent again at the next start. */
    @Override
    public void close() {
        running = false;
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agents.close();
    }
}
