package dev.vigil.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.vigil.rules.model.Host;
import dev.vigil.rules.model.HostDown;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Sample;
import dev.vigil.rules.model.Service;
import dev.vigil.rules.model.Warning;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * One Drools session over the live state of the fleet: a {@link Host} fact per host, its latest {@link Sample},
 * its watched {@link Service}s (updated only when their state changes) and a {@link HostDown} while it is down.
 * The session runs on a pseudo clock that the caller moves forward — with the wall clock when live, with the
 * stored samples' times in a backtest — so that both behave alike.
 *
 * <p>What the rules decide comes out through {@link Intents}: warnings raised and cleared, remediations
 * proposed. Not thread-safe: one thread feeds a session.
 */
public final class DecisionSession implements AutoCloseable {
    /** Firings of one {@link #fire()} beyond which the rules are taken to be in a loop. */
    static final int MAX_FIRINGS = 1_000_000;

    /**
     * What the rules decided, as the net change of one {@link #fire()} (called on the feeding thread when the
     * rules are done): a rule that replaces a warning by a critical one of the same key is one change.
     */
    public interface Intents {
        /** A host and key that had no warning have one. */
        void raised(Warning warning);

        /** The warning of a host and key has another severity or message. */
        void changed(Warning before, Warning now);

        /** The warning of a host and key is gone: its condition cleared. */
        void cleared(Warning warning);

        void proposed(Remediation remediation);
    }

    /** A remediation in the session and the session time at which it goes. */
    private record Remembered(FactHandle handle, long until) {
    }

    private record Key(long hostId, String key) {
        static Key of(Warning warning) {
            return new Key(warning.hostId(), warning.key());
        }
    }

    private final RuleSet rules;
    private final KieSession session;
    private final SessionPseudoClock clock;
    private final Map<Long, FactHandle> hosts = new HashMap<>();
    private final Map<Long, FactHandle> samples = new HashMap<>();
    private final Map<Long, FactHandle> downs = new HashMap<>();
    private final Map<Long, Map<String, FactHandle>> services = new HashMap<>();
    /** The warnings in the session by key, oldest first (a rule may briefly hold two of one key). */
    private final Map<Key, List<Warning>> warnings = new HashMap<>();
    /** Since the last report: the keys touched, with the warning each had before; the remediations proposed. */
    private final Map<Key, Optional<Warning>> touched = new HashMap<>();
    private final List<Remediation> proposed = new ArrayList<>();
    /** The remediations in the session, oldest first: each leaves {@link Remediation#REMEMBERED} after it came. */
    private final ArrayDeque<Remembered> remediations = new ArrayDeque<>();
    /** Per host and key, the rule that raised the warning (none for warnings recalled after a restart). */
    private final Map<Key, String> raisedBy = new HashMap<>();
    /**
     * After a move to other rules: what the old rules re-derive from the carried-over facts. The first
     * {@link #fire()} leaves these out, because the old rules proposed them already.
     */
    private final List<Remediation> repeats = new ArrayList<>();
    private final Intents intents;
    private boolean muted;

    public DecisionSession(RuleSet rules, long startMillis, Intents intents) {
        this.rules = rules;
        KieSessionConfiguration configuration = KieServices.Factory.get().newKieSessionConfiguration();
        configuration.setOption(ClockTypeOption.PSEUDO);
        this.session = rules.kieBase().newKieSession(configuration, null);
        this.clock = session.getSessionClock();
        clock.advanceTime(startMillis, TimeUnit.MILLISECONDS);
        this.intents = intents;
        session.addEventListener(new IntentListener());
    }

    public RuleSet rules() {
        return rules;
    }

    /** The session's time, epoch milliseconds. */
    public long now() {
        return clock.getCurrentTime();
    }

    /** Moves the clock forward (never back): remediations expire and time-based conditions become true. */
    public void advanceTo(long epochMillis) {
        long step = epochMillis - clock.getCurrentTime();
        if (step > 0) {
            clock.advanceTime(step, TimeUnit.MILLISECONDS);
        }
        while (!remediations.isEmpty() && remediations.peekFirst().until() <= clock.getCurrentTime()) {
            FactHandle expired = remediations.pollFirst().handle();
            if (session.getObject(expired) != null) {
                session.delete(expired);
            }
        }
    }

    /** Adds the host, or replaces it after a change of its name, group, labels or policy. */
    public void host(Host host) {
        FactHandle handle = hosts.get(host.id());
        if (handle == null) {
            hosts.put(host.id(), session.insert(host));
        } else {
            session.update(handle, host);
        }
    }

    /** The host as the session knows it, to make its samples with. */
    public Optional<Host> host(long hostId) {
        FactHandle handle = hosts.get(hostId);
        return handle == null ? Optional.empty() : Optional.of((Host) session.getObject(handle));
    }

    /** Takes the host and everything about it out of the session; its open warnings are cleared. */
    public void removeHost(long hostId) {
        delete(hosts.remove(hostId));
        delete(samples.remove(hostId));
        delete(downs.remove(hostId));
        Map<String, FactHandle> units = services.remove(hostId);
        if (units != null) {
            units.values().forEach(this::delete);
        }
        List<FactHandle> derived = new ArrayList<>(session.<FactHandle>getFactHandles(
                object -> hostIdOf(object) == hostId));
        derived.forEach(session::delete);
    }

    private static long hostIdOf(Object fact) {
        return switch (fact) {
            case dev.vigil.rules.model.Streak streak -> streak.hostId();
            case Warning warning -> warning.hostId();
            case Remediation remediation -> remediation.hostId();
            default -> Long.MIN_VALUE;
        };
    }

    /**
     * Takes the host and everything about it out of the session without clearing its warnings: another instance
     * decides for it from now on, and its incidents stay open there.
     */
    public void releaseHost(long hostId) {
        removeHost(hostId);
        touched.keySet().removeIf(key -> key.hostId() == hostId);
    }

    /** The host's new latest sample; the clock moves to its time first. */
    public void sample(Sample sample) {
        advanceTo(sample.timestamp());
        delete(samples.put(sample.hostId(), session.insert(sample)));
    }

    /**
     * The host's watched services as its latest sample reports them: a unit whose state is unchanged is left
     * alone, so that rules about a state fire once when it begins.
     */
    public void services(long hostId, List<Service> reported) {
        Map<String, FactHandle> known = services.computeIfAbsent(hostId, id -> new HashMap<>());
        Map<String, FactHandle> gone = new HashMap<>(known);
        for (Service service : reported) {
            gone.remove(service.unit());
            FactHandle handle = known.get(service.unit());
            if (handle == null) {
                known.put(service.unit(), session.insert(service));
            } else if (!session.getObject(handle).equals(service)) {
                session.update(handle, service);
            }
        }
        gone.forEach((unit, handle) -> {
            known.remove(unit);
            session.delete(handle);
        });
    }

    public void hostDown(HostDown down) {
        if (!downs.containsKey(down.hostId())) {
            advanceTo(down.since());
            downs.put(down.hostId(), session.insert(down));
        }
    }

    public void hostUp(long hostId) {
        delete(downs.remove(hostId));
    }

    /**
     * Warnings whose incidents an earlier session left open (the server restarted): they are not raised again,
     * and from the next {@link #fire()} on the rules change or resolve them as if this session had raised them.
     * Recall a host's warnings after its facts are in, so that no rule takes them for left-overs.
     */
    public void recall(List<Warning> open) {
        boolean wasMuted = muted;
        muted = true;
        open.forEach(session::insert);
        report();
        muted = wasMuted;
    }

    /**
     * Lets the rules act on what changed, then reports what they decided; returns the rule firings. Rules that
     * keep undoing each other's work (one raises what another clears) would fire forever: after
     * {@link #MAX_FIRINGS} firings in one call the rest waits for the next call, and this one reports what was
     * decided and then throws a {@link RuleLoop} naming the rules that fire most.
     */
    public int fire() {
        int fired = session.fireAllRules(MAX_FIRINGS);
        report();
        if (fired >= MAX_FIRINGS) {
            throw new RuleLoop(fired, busiestRules());
        }
        return fired;
    }

    /** The rules fired {@code firings} times in one round without settling. */
    public static final class RuleLoop extends RuntimeException {
        RuleLoop(int firings, List<String> busiest) {
            super("the rules fired " + firings + " times in one round without settling — some rule undoes what"
                    + " another does; most fired: " + String.join(", ", busiest));
        }
    }

    /** Fires a few more activations with a counter on, to name the rules of a loop. */
    private List<String> busiestRules() {
        Map<String, Integer> counts = new HashMap<>();
        AgendaEventListener counter = new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                counts.merge("\"" + event.getMatch().getRule().getName() + "\"", 1, Integer::sum);
            }
        };
        session.addEventListener(counter);
        try {
            session.fireAllRules(1_000);
            report();
        } finally {
            session.removeEventListener(counter);
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(3).map(Map.Entry::getKey).toList();
    }

    private void report() {
        if (!muted) {
            touched.forEach((key, before) -> {
                Warning now = current(key);
                if (before.isEmpty() && now != null) {
                    intents.raised(now);
                } else if (before.isPresent() && now == null) {
                    intents.cleared(before.get());
                } else if (before.isPresent() && !before.get().equals(now)) {
                    intents.changed(before.get(), now);
                }
            });
            proposed.stream().filter(remediation -> !repeats.remove(remediation)).forEach(intents::proposed);
        }
        touched.clear();
        proposed.clear();
        repeats.clear();
    }

    private Warning current(Key key) {
        List<Warning> held = warnings.get(key);
        return held == null || held.isEmpty() ? null : held.getLast();
    }

    /**
     * A session of other rules over the same facts — warnings, streaks and remediations included — at the same
     * time. Its first {@link #fire()} reports what the new rules decide on those facts, at once, with two
     * exceptions that keep a reload from repeating itself: a warning that stays as it was is not raised again, and
     * a remediation that the old rules re-derive from the same facts is not proposed again (they proposed it
     * when its condition began). A warning whose rule is gone from the new rules is cleared — its incident
     * resolves — unless a new rule raises it again in that first firing, which then updates it or leaves it be.
     */
    public DecisionSession withRules(RuleSet next) {
        DecisionSession moved = carriedOver(next);
        moved.raisedBy.putAll(raisedBy);
        moved.report(); // the carried-over warnings are known already: not raised again
        moved.muted = false;
        try (DecisionSession replay = carriedOver(rules)) {
            replay.report(); // stays muted: only what its firing proposes is kept
            replay.session.fireAllRules();
            moved.repeats.addAll(replay.proposed);
        }
        Set<String> nextRules = next.ruleIds();
        List<Warning> orphans = moved.raisedBy.entrySet().stream()
                .filter(raised -> !nextRules.contains(raised.getValue()))
                .flatMap(raised -> moved.warnings.getOrDefault(raised.getKey(), List.of()).stream())
                .toList();
        orphans.forEach(orphan -> moved.session.delete(moved.session.getFactHandle(orphan)));
        return moved;
    }

    /** A muted session of these rules holding this session's facts, at this session's time. */
    private DecisionSession carriedOver(RuleSet with) {
        DecisionSession moved = new DecisionSession(with, now(), intents);
        moved.muted = true;
        for (Object fact : session.getObjects()) {
            FactHandle handle = moved.session.insert(fact);
            switch (fact) {
                case Host host -> moved.hosts.put(host.id(), handle);
                case Sample sample -> moved.samples.put(sample.hostId(), handle);
                case HostDown down -> moved.downs.put(down.hostId(), handle);
                case Service service -> moved.services.computeIfAbsent(service.hostId(), id -> new HashMap<>())
                        .put(service.unit(), handle);
                default -> {
                }
            }
        }
        // the listener remembered each carried-over remediation from now on; it keeps the time it had left
        moved.remediations.clear();
        for (Remembered remembered : remediations) {
            Object remediation = session.getObject(remembered.handle());
            if (remediation != null) {
                moved.remediations.add(new Remembered(moved.session.getFactHandle(remediation), remembered.until()));
            }
        }
        return moved;
    }

    /** How many facts the session holds (hosts, samples, services, streaks, warnings, …). */
    public long factCount() {
        return session.getFactCount();
    }

    /** The warnings in force now, one per host and key. */
    public List<Warning> warnings() {
        return warnings.keySet().stream().map(this::current).filter(java.util.Objects::nonNull).toList();
    }

    private void delete(FactHandle handle) {
        if (handle != null) {
            session.delete(handle);
        }
    }

    @Override
    public void close() {
        session.dispose();
    }

    /** Keeps {@link #warnings} and notes what changed, for {@link #report()}. */
    private final class IntentListener implements RuleRuntimeEventListener {
        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            switch (event.getObject()) {
                case Warning warning -> {
                    Key key = Key.of(warning);
                    touched.computeIfAbsent(key, k -> Optional.ofNullable(current(k)));
                    warnings.computeIfAbsent(key, k -> new ArrayList<>(1)).add(warning);
                    if (event.getRule() != null) {
                        raisedBy.put(key, RuleSet.id(event.getRule()));
                    }
                }
                case Remediation remediation -> {
                    proposed.add(remediation);
                    remediations.add(new Remembered(event.getFactHandle(),
                            clock.getCurrentTime() + Remediation.REMEMBERED.toMillis()));
                }
                default -> {
                }
            }
        }

        @Override
        public void objectUpdated(ObjectUpdatedEvent event) {
            if (event.getOldObject() instanceof Warning || event.getObject() instanceof Warning) {
                throw new IllegalStateException("rules replace a Warning (delete, insert), they do not update it");
            }
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            if (event.getOldObject() instanceof Warning warning) {
                Key key = Key.of(warning);
                touched.computeIfAbsent(key, k -> Optional.ofNullable(current(k)));
                List<Warning> held = warnings.get(key);
                held.remove(warning);
                if (held.isEmpty()) {
                    warnings.remove(key);
                    raisedBy.remove(key);
                }
            }
        }
    }
}
