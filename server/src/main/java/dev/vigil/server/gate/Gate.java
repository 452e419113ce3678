package dev.vigil.server.gate;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.rules.DecisionSession;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Warning;
import dev.vigil.server.Histogram;
import dev.vigil.server.store.Action;
import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.Incident;
import dev.vigil.server.store.IncidentStore;
import dev.vigil.server.events.EventBus;

/**
 * Turns what the rules decided into records: warnings into incidents, remediations into actions that the
 * {@link Verdict} lets through, holds for approval, or suppresses. Every step goes into the audit log. Nothing
 * here runs anything on a host: dispatching approved actions is the next stage's job.
 */
public final class Gate implements DecisionSession.Intents, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gate.class.getName());
    private static final String RULES = "rules";
    private static final String GATE = "gate";
    /** The kind of the incidents the gate raises itself when a budget stops a remediation. */
    private static final String SUPPRESSED_KIND = "remediation-suppressed";
    /** Decisions kept while the database is away: a day of a busy fleet's incident changes. */
    private static final int MAX_WAITING = 100_000;

    /** The ways an approval or rejection can fail. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final IncidentStore incidents;
    private final ActionStore actions;
    private final AuditLog audit;
    private final LongFunction<Optional<Host>> hosts;
    private final History history;
    private final Verdict.Limits limits;
    private final BooleanSupplier globalDryRun;
    private final Clock clock;
    private final BooleanSupplier databaseReachable;
    private final Dispatch dispatch;
    private final EventBus events;
    private final LongAdder unrecorded = new LongAdder();
    private final Histogram recordLatency = new Histogram();
    /** Decisions not yet recorded, oldest first; one thread records them in order. */
    private final BlockingDeque<Step> waiting = new LinkedBlockingDeque<>();
    private final AtomicInteger unsettled = new AtomicInteger();
    private final Thread recorder;
    private volatile boolean running = true;

    private record Step(String what, Runnable record, long handedNanos) {
    }

    public Gate(IncidentStore incidents, ActionStore actions, AuditLog audit, LongFunction<Optional<Host>> hosts,
                History history, Verdict.Limits limits, BooleanSupplier globalDryRun, Clock clock,
                BooleanSupplier databaseReachable, Dispatch dispatch, EventBus events) {
        this.incidents = incidents;
        this.actions = actions;
        this.audit = audit;
        this.hosts = hosts;
        this.history = history;
        this.limits = limits;
        this.globalDryRun = globalDryRun;
        this.clock = clock;
        this.databaseReachable = databaseReachable;
        this.dispatch = dispatch;
        this.events = events;
        this.recorder = Thread.ofPlatform().name("vigil-gate-recorder").daemon().start(this::recordLoop);
    }

    @Override
    public void raised(Warning warning) {
        recording("open an incident for " + warning, () -> {
            var incident = incidents.raise(warning.hostId(), warning.key(), warning.kind(), warning.subject(),
                    warning.severity(), warning.message(), clock.instant());
            audit.record(clock.instant(), RULES, "incident_opened", "incident " + incident.id(),
                    warning.severity() + ": " + warning.message());
            events.publish("incident_opened", incident);
        });
    }

    @Override
    public void changed(Warning before, Warning now) {
        recording("update the incident for " + now, () -> {
            var incident = incidents.raise(now.hostId(), now.key(), now.kind(), now.subject(), now.severity(),
                    now.message(), clock.instant());
            audit.record(clock.instant(), RULES, "incident_updated", "incident " + incident.id(),
                    before.severity() + " → " + now.severity() + ": " + now.message());
            events.publish("incident_updated", incident);
        });
    }

    @Override
    public void cleared(Warning warning) {
        recording("resolve the incident for " + warning, () -> {
            Instant at = clock.instant();
            Optional<Incident> open = incidents.findOpen(warning.hostId(), warning.key());
            if (open.isPresent() && incidents.recoverOpen(warning.hostId(), warning.key(), at, RULES)) {
                Incident resolved = incidents.find(open.get().id()).orElseThrow();
                audit.record(at, RULES, "incident_resolved", "incident " + resolved.id(), "the condition cleared"
                        + resolved.recoverySeconds().map(s -> String.format(" %.1f s after detection", s)).orElse(""));
                events.publish("incident_resolved", resolved);
            }
            if (warning.kind().equals("service")) {
                // the service runs again: a suppressed restart of it is no longer a problem
                incidents.resolveOpen(warning.hostId(), suppressionKey("restart_service", warning.subject()), at,
                        RULES);
            }
        });
    }

    @Override
    public void proposed(Remediation remediation) {
        recording("record the proposal " + remediation, () -> propose(Proposal.of(remediation,
                incidents.findOpen(remediation.hostId(), remediation.cause()).map(Incident::id)), RULES));
    }

    /** Judges a proposal and records the action, whatever the verdict. */
    public Action propose(Proposal proposal, String requestedBy) {
        Host host = hosts.apply(proposal.hostId())
                .orElseThrow(() -> new Refused("no host with id " + proposal.hostId()));
        Instant now = clock.instant();
        Verdict verdict = Verdict.judge(proposal, host, globalDryRun.getAsBoolean(), history, limits, now);
        Action action = Action.judged(UUID.randomUUID(), host.id(), proposal.type(), proposal.target(),
                proposal.pid(), proposal.createTime(), proposal.reason(), verdict.status(), verdict.detail(),
                requestedBy, GATE, now, proposal.incidentId());
        actions.insert(action);
        audit.record(now, requestedBy, "action_proposed", action.auditSubject(),
                proposal.type() + " " + proposal.target() + " on " + host.name() + ": " + proposal.reason());
        audit.record(now, GATE, "action_" + verdict.status(), action.auditSubject(), verdict.detail());
        proposal.incidentId().ifPresent(incident -> incidents.remediation(incident, action.id(), action.status(), now));
        events.publish("action_proposed", action);
        handOn(action);
        if (verdict.budgetSpent()) {
            incidents.raise(host.id(), suppressionKey(proposal.type(), proposal.target()), SUPPRESSED_KIND,
                    proposal.type() + " " + proposal.target(), Warning.CRITICAL, verdict.detail(), now);
        }
        return action;
    }

    /** An admin or operator approves a pending action; the gate checks again what may have changed since. */
    public Action approve(UUID id, String by) {
        Action pending = pending(id);
        Host host = hosts.apply(pending.hostId()).orElseThrow(() -> new Refused("its host no longer exists"));
        Instant now = clock.instant();
        Proposal proposal = new Proposal(pending.hostId(), pending.type(), pending.target(), pending.pid(),
                pending.createTime(), pending.reason(), pending.incidentId());
        Verdict verdict = Verdict.onApproval(proposal, host, globalDryRun.getAsBoolean(), history, limits, now, by);
        return settle(pending, verdict.status(), verdict.detail(), by, now);
    }

    public Action reject(UUID id, String by) {
        return settle(pending(id), Action.REJECTED, "rejected by " + by, by, clock.instant());
    }

    private Action pending(UUID id) {
        Action action = actions.find(id).orElseThrow(() -> new Refused("no action " + id));
        if (!action.status().equals(Action.PENDING_APPROVAL)) {
            throw new Refused("action " + id + " is " + action.status() + ", not waiting for approval");
        }
        return action;
    }

    private Action settle(Action pending, String status, String detail, String by, Instant now) {
        if (!actions.move(pending.id(), Action.PENDING_APPROVAL, status, detail, by, now)) {
            throw new Refused("action " + pending.id() + " was decided meanwhile");
        }
        audit.record(now, by, "action_" + status, pending.auditSubject(), detail);
        Action settled = actions.find(pending.id()).orElseThrow();
        settled.incidentId().ifPresent(incident -> incidents.remediation(incident, settled.id(), status, now));
        events.publish("action_" + status, settled);
        handOn(settled);
        return settled;
    }

    /** An approved action goes to the act stage; its row is stored by now, so its id outlives a crash. */
    private void handOn(Action action) {
        if (action.status().equals(Action.APPROVED)) {
            dispatch.approved(action);
        }
    }

    /** The rules' warnings behind these incidents; the gate's own incidents are not the rules' to resolve. */
    public static List<Warning> warningsOf(List<Incident> open) {
        return open.stream().filter(incident -> !incident.kind().equals(SUPPRESSED_KIND))
                .map(i -> new Warning(i.hostId(), i.kind(), i.subject(), i.severity(), i.message())).toList();
    }

    static String suppressionKey(String type, String target) {
        return "suppressed:" + type + ":" + target;
    }

    /** Decisions that could not be recorded for a reason other than the database being away; each is logged. */
    public long unrecorded() {
        return unrecorded.sum();
    }

    /** From a decision handed to the gate to its incident, action and audit rows written. */
    public Histogram recordLatency() {
        return recordLatency;
    }

    /** Decisions not recorded yet: in flight, or waiting for the database. */
    public int waiting() {
        return unsettled.get();
    }

    /**
     * Hands a decision to the recorder thread, behind those before it: the decide stage never waits for the
     * database, and while the database is away decisions keep their order and wait for it.
     */
    private void recording(String what, Runnable record) {
        if (unsettled.get() >= MAX_WAITING) {
            Step dropped = waiting.pollFirst();
            if (dropped != null) {
                unsettled.decrementAndGet();
                unrecorded.increment();
                LOG.severe("Decisions waiting for the database passed " + MAX_WAITING + ": dropped the oldest, "
                        + dropped.what());
            }
        }
        unsettled.incrementAndGet();
        waiting.addLast(new Step(what, record, System.nanoTime()));
    }

    /**
     * Records decisions in order. A step that fails while the database does not answer goes back to the front
     * and is tried again with a growing pause (up to 10 s); one that fails while the database answers is a real
     * error: logged, counted, dropped.
     */
    private void recordLoop() {
        long pauseMillis = 500;
        boolean databaseAway = false;
        while (running || !waiting.isEmpty()) {
            Step step;
            try {
                step = waiting.pollFirst(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (step == null) {
                continue;
            }
            try {
                step.record().run();
            } catch (RuntimeException e) {
                if (Database.connectionLost(e) || !databaseReachable.getAsBoolean()) {
                    waiting.addFirst(step);
                    if (!databaseAway) {
                        databaseAway = true;
                        LOG.warning("The database is away: decisions wait in order (" + unsettled.get()
                                + " now) and are recorded when it is back (" + e.getMessage() + ")");
                    }
                    if (!running || !pause(pauseMillis)) {
                        LOG.warning(unsettled.get() + " decisions were not recorded before shutdown");
                        return;
                    }
                    pauseMillis = Math.min(pauseMillis * 2, 10_000);
                    continue;
                }
                unrecorded.increment();
                LOG.log(Level.SEVERE, "Could not " + step.what() + ": " + e.getMessage(), e);
            }
            unsettled.decrementAndGet();
            recordLatency.observeNanos(System.nanoTime() - step.handedNanos());
            pauseMillis = 500;
            if (databaseAway) {
                databaseAway = false;
                LOG.info("The database is back: recording the " + unsettled.get() + " waiting decisions");
            }
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records what is waiting (for as long as the database takes, up to 10 s), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            recorder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.interrupt();
    }
}
