package dev.vigil.server.decide;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.ObjLongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.rules.DecisionSession;
import dev.vigil.rules.RuleSet;
import dev.vigil.rules.model.HostDown;
import dev.vigil.rules.model.Warning;
import dev.vigil.server.Histogram;
import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.poll.HostTransitions;
import dev.vigil.server.poll.SampleSink;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;

/**
 * The decide stage: one Drools session over the whole fleet, fed from one thread. Samples, host changes, up/down
 * transitions and rule swaps queue up as steps; the thread applies what has queued, moves the session's clock
 * to now, lets the rules fire and hands their intents to the gate. Converting an answer to facts happens on the
 * caller's thread, so that the session's thread does only rule work.
 */
public final class Decider implements SampleSink, HostStore.Listener, HostTransitions, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Decider.class.getName());
    /** Samples waiting at most; beyond, a sample is left out of the rules (it is stored all the same). */
    private static final int MAX_WAITING = 100_000;
    private static final int MAX_STEPS_PER_ROUND = 10_000;

    /** One thing to do to the session; a sample's step knows when the sample arrived (else 0). */
    private record Step(Consumer<DecisionSession> change, long sampleArrivedNanos) {
        static Step of(Consumer<DecisionSession> change) {
            return new Step(change, 0);
        }
    }

    private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
    private final LongAdder waitingSamples = new LongAdder();
    /** The hosts as facts, for the callers' threads to make samples with. */
    private final Map<Long, dev.vigil.rules.model.Host> hosts = new ConcurrentHashMap<>();
    private final Clock clock;
    /** Per host, the incidents found open when it came here, until its first sample (decide thread only). */
    private final Map<Long, List<Warning>> leftOpen = new HashMap<>();
    private final LongFunction<List<Warning>> stillOpen;
    private final Thread thread;
    private volatile boolean running = true;
    private DecisionSession session;
    private volatile RuleSet rules;

    private final LongAdder evaluated = new LongAdder();
    private final LongAdder firings = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Histogram latency = new Histogram();

    /**
     * @param stillOpen a host's incidents still open (from before the start, or from the replica that had the
     *                  host before), as the warnings the rules raised, read when the host comes here: the rules pick
     *                  them up again on its first sample and resolve them when they clear
     */
    public Decider(RuleSet rules, DecisionSession.Intents intents, Clock clock,
                   LongFunction<List<Warning>> stillOpen) {
        this.clock = clock;
        this.stillOpen = stillOpen;
        this.rules = rules;
        this.session = new DecisionSession(rules, clock.millis(), intents);
        this.thread = Thread.ofPlatform().name("vigil-decide").daemon().start(this::run);
    }

    /** The rules facts go through now. */
    public RuleSet rules() {
        return rules;
    }

    @Override
    public void accept(long hostId, AgentSnapshot.Parsed answer, Instant receivedAt) {
        if (waitingSamples.sum() >= MAX_WAITING) {
            skipped.increment();
            if (skipped.sum() % 10_000 == 1) {
                LOG.warning("The rules are behind by " + MAX_WAITING + " samples: " + skipped.sum()
                        + " samples skipped so far (they are stored all the same)");
            }
            return;
        }
        dev.vigil.rules.model.Host host = hosts.get(hostId);
        if (host == null) {
            return; // removed while its poll ran
        }
        Facts facts;
        try {
            facts = Facts.of(host, answer, receivedAt);
        } catch (RuntimeException e) {
            failures.increment();
            LOG.log(Level.WARNING, "A sample of host " + hostId + " cannot become facts: " + e.getMessage(), e);
            return;
        }
        waitingSamples.increment();
        steps.add(new Step(session -> {
            waitingSamples.decrement();
            session.services(hostId, facts.services());
            session.sample(facts.sample());
            List<Warning> open = leftOpen.remove(hostId);
            if (open != null) {
                session.recall(open);
                LOG.info("Host " + hostId + ": " + open.size() + " incidents left open (before the start, or by the"
                        + " replica that had the host) are followed by the rules again");
            }
        }, System.nanoTime()));
    }

    @Override
    public void registered(Host host, Host.Credentials credentials) {
        dev.vigil.rules.model.Host fact = fact(host);
        List<Warning> open = hosts.put(host.id(), fact) == null ? stillOpen.apply(host.id()) : List.of();
        steps.add(Step.of(session -> {
            session.host(fact);
            if (!open.isEmpty()) {
                leftOpen.put(host.id(), open);
            }
        }));
    }

    @Override
    public void removed(long hostId) {
        forget(hostId, DecisionSession::removeHost);
    }

    /** Moved to another instance: its warnings are not cleared here — their incidents stay open for the owner. */
    @Override
    public void released(long hostId) {
        forget(hostId, DecisionSession::releaseHost);
    }

    private void forget(long hostId, ObjLongConsumer<DecisionSession> takeOut) {
        hosts.remove(hostId);
        steps.add(Step.of(session -> {
            takeOut.accept(session, hostId);
            leftOpen.remove(hostId);
        }));
    }

    @Override
    public void down(long hostId, Instant since, String reason) {
        steps.add(Step.of(session -> session.hostDown(new HostDown(hostId, since.toEpochMilli(), reason))));
    }

    @Override
    public void up(long hostId) {
        steps.add(Step.of(session -> session.hostUp(hostId)));
    }

    /**
     * The rules are these from now on; facts, streaks and open warnings carry over, and what the new rules decide
     * on the facts as they are is handed on at once (see {@link DecisionSession#withRules}).
     */
    public void swap(RuleSet next) {
        steps.add(Step.of(current -> {
            fire(current); // what came before the swap is the old rules' to decide
            session = current.withRules(next);
            current.close();
            rules = next;
            fire(session);
        }));
    }

    static dev.vigil.rules.model.Host fact(Host host) {
        return new dev.vigil.rules.model.Host(host.id(), host.name(), host.group().orElse(""), host.labels(),
                new HashSet<>(host.policy().allowedServices()), new HashSet<>(host.policy().killableProcesses()),
                host.policy().autoReboot());
    }

    private void run() {
        List<Step> round = new ArrayList<>();
        while (running) {
            try {
                Step first = steps.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    round.add(first);
                    steps.drainTo(round, MAX_STEPS_PER_ROUND - 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (Step step : round) {
                try {
                    step.change().accept(session);
                } catch (RuntimeException e) {
                    failures.increment();
                    LOG.log(Level.SEVERE, "A change to the rules' session failed: " + e.getMessage(), e);
                }
            }
            session.advanceTo(clock.millis());
            fire(session);
            long decided = System.nanoTime();
            for (Step step : round) {
                if (step.sampleArrivedNanos() != 0) {
                    evaluated.increment();
                    latency.observeNanos(decided - step.sampleArrivedNanos());
                }
            }
            round.clear();
        }
    }

    private void fire(DecisionSession rulesSession) {
        try {
            firings.add(rulesSession.fire());
        } catch (DecisionSession.RuleLoop e) {
            failures.increment();
            LOG.severe("The rules are in a loop: " + e.getMessage() + ". Fix or remove those rules (their"
                    + " decisions so far went to the gate; the loop goes on at the next round).");
        } catch (RuntimeException e) {
            failures.increment();
            LOG.log(Level.SEVERE, "A rule failed: " + e.getMessage(), e);
        }
    }

    /** Samples the rules have seen so far. */
    public long evaluated() {
        return evaluated.sum();
    }

    public long firings() {
        return firings.sum();
    }

    /** Samples left out because the rules were too far behind. */
    public long skipped() {
        return skipped.sum();
    }

    /** Facts that could not be made or inserted, and rules that failed while firing; each is logged. */
    public long failures() {
        return failures.sum();
    }

    /** From a sample's arrival to the rules having fired on it and the gate having recorded their intents. */
    public Histogram sampleToDecision() {
        return latency;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
    }
}
