package dev.vigil.server.decide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import dev.vigil.rules.DecisionSession;
import dev.vigil.rules.RuleSet;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Warning;
import dev.vigil.server.gate.History;
import dev.vigil.server.gate.Proposal;
import dev.vigil.server.gate.Verdict;
import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.store.Host;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import static dev.vigil.server.store.Action.APPROVED;
import static dev.vigil.server.store.Action.DRY_RUN;
import static dev.vigil.server.store.Action.PENDING_APPROVAL;

/**
 * Replays a host's stored samples through a rule set on a pseudo clock set to each sample's time, and judges
 * what the rules propose with the gate's rules against the replay's own past. Nothing is written anywhere.
 */
public final class Backtest {
    /** An incident as the replay saw it; {@code resolvedAt} is empty when it was still open at the end. */
    public record Incident(String key, String kind, String subject, String severity, String message,
                           Instant openedAt, Optional<Instant> resolvedAt, int changes) {
    }

    public record Action(Instant at, String type, String target, String reason, String status, String detail) {
    }

    /** @param unreadable stored samples whose detail could not be read (counted, skipped) */
    public record Result(long samples, long unreadable, List<Incident> incidents, List<Action> actions) {
    }

    private final DbClient db;

    public Backtest(DbClient db) {
        this.db = db;
    }

    public Result run(Host host, Instant from, Instant to, RuleSet rules, boolean globalDryRun) {
        Replay replay = new Replay(host, globalDryRun);
        long[] counts = new long[2];
        try (DecisionSession session = new DecisionSession(rules, from.toEpochMilli(), replay)) {
            replay.session = session;
            session.host(Decider.fact(host));
            session.fire();
            db.execute().namedQuery("select-samples-for-backtest", host.id(), Timestamp.from(from),
                    Timestamp.from(to)).forEach(row -> {
                        Optional<Facts> facts = facts(host, row);
                        if (facts.isEmpty()) {
                            counts[1]++;
                            return;
                        }
                        counts[0]++;
                        Facts f = facts.get();
                        session.services(host.id(), f.services());
                        session.sample(f.sample());
                        session.fire();
                    });
        }
        return new Result(counts[0], counts[1], replay.incidents(), replay.actions);
    }

    private static Optional<Facts> facts(Host host, DbRow row) {
        Instant receivedAt = row.column("received_at").get(Timestamp.class).toInstant();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(row.column("detail").get(byte[].class)))) {
            return Optional.of(Facts.of(Decider.fact(host), AgentSnapshot.read(in.readAllBytes()), receivedAt));
        } catch (IOException | AgentSnapshot.BadPayload | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The replay's intents, and a gate history made of its own judged actions. */
    private static final class Replay implements DecisionSession.Intents, History {
        private final Host host;
        private final boolean globalDryRun;
        private final Map<String, Integer> open = new HashMap<>();
        private final List<Incident> incidents = new ArrayList<>();
        private final List<Action> actions = new ArrayList<>();
        private DecisionSession session;

        Replay(Host host, boolean globalDryRun) {
            this.host = host;
            this.globalDryRun = globalDryRun;
        }

        private Instant now() {
            return Instant.ofEpochMilli(session.now());
        }

        @Override
        public void raised(Warning w) {
            open.put(w.key(), incidents.size());
            incidents.add(new Incident(w.key(), w.kind(), w.subject(), w.severity(), w.message(), now(),
                    Optional.empty(), 0));
        }

        @Override
        public void changed(Warning before, Warning now) {
            Integer at = open.get(now.key());
            if (at != null) {
                Incident i = incidents.get(at);
                incidents.set(at, new Incident(i.key(), i.kind(), i.subject(), now.severity(), now.message(),
                        i.openedAt(), Optional.empty(), i.changes() + 1));
            }
        }

        @Override
        public void cleared(Warning w) {
            Integer at = open.remove(w.key());
            if (at != null) {
                Incident i = incidents.get(at);
                incidents.set(at, new Incident(i.key(), i.kind(), i.subject(), i.severity(), i.message(),
                        i.openedAt(), Optional.of(now()), i.changes()));
            }
        }

        @Override
        public void proposed(Remediation remediation) {
            Verdict verdict = Verdict.judge(Proposal.of(remediation, Optional.empty()), host, globalDryRun, this,
                    Verdict.Limits.DEFAULTS, now());
            actions.add(new Action(now(), remediation.type(), remediation.target(), remediation.reason(),
                    verdict.status(), verdict.detail()));
        }

        List<Incident> incidents() {
            return incidents;
        }

        private long count(String type, String target, Instant since, List<String> statuses) {
            return actions.stream().filter(a -> a.type().equals(type) && (target == null || a.target().equals(target))
                    && !a.at().isBefore(since) && statuses.contains(a.status())).count();
        }

        @Override
        public long actionsOnTarget(long hostId, String type, String target, Instant since) {
            return count(type, target, since, List.of(PENDING_APPROVAL, APPROVED, DRY_RUN));
        }

        @Override
        public long reboots(long hostId, Instant since) {
            return count(Remediation.REBOOT, null, since, List.of(APPROVED));
        }

        @Override
        public long groupReboots(String group, long exceptHostId, Instant since) {
            return 0; // a backtest replays one host
        }

        @Override
        public boolean inMaintenance(long hostId, Optional<String> group, Instant at) {
            return false; // windows are about the present; a replay asks what the rules would do
        }
    }
}
