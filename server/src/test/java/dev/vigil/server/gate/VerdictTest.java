package dev.vigil.server.gate;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.server.store.Action;
import dev.vigil.server.store.Host;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictTest {
    private static final Instant NOW = Instant.parse("2010-06-15T03:00:00Z");
    private static final Verdict.Limits LIMITS = Verdict.Limits.DEFAULTS;

    /** A past of actions (type, target, when, status) and maintenance windows, as the database would answer. */
    private static final class Past implements History {
        record Done(long hostId, String type, String target, Instant at, String status) {
        }

        final List<Done> done = new ArrayList<>();
        boolean maintenance;
        long groupReboots;

        @Override
        public long actionsOnTarget(long hostId, String type, String target, Instant since) {
            return done.stream().filter(d -> d.hostId() == hostId && d.type().equals(type)
                    && d.target().equals(target) && !d.at().isBefore(since)
                    && !List.of("rejected", "suppressed").contains(d.status())).count();
        }

        @Override
        public long reboots(long hostId, Instant since) {
            return done.stream().filter(d -> d.hostId() == hostId && d.type().equals("reboot")
                    && !d.at().isBefore(since) && d.status().equals("approved")).count();
        }

        @Override
        public long groupReboots(String group, long exceptHostId, Instant since) {
            return groupReboots;
        }

        @Override
        public boolean inMaintenance(long hostId, Optional<String> group, Instant at) {
            return maintenance;
        }
    }

    private static Host host(boolean autoReboot, boolean dryRun) {
        return host(new Host.Policy(List.of("nginx.service"), List.of("java"), autoReboot, dryRun, false));
    }

    private static Host host(Host.Policy policy) {
        return new Host(7, "db-1", URI.create("http://db-1:9130"), Optional.of(10), Optional.of("db"), Map.of(), policy, true,
                NOW, NOW);
    }

    private static Proposal restart(String unit) {
        return new Proposal(7, "restart_service", unit, Optional.empty(), Optional.empty(), "failed",
                Optional.empty());
    }

    private static final Proposal REBOOT = new Proposal(7, "reboot", "db-1", Optional.empty(), Optional.empty(),
            "memory exhausted", Optional.empty());

    @Test
    void anAllowedRestartIsApprovedAndAnUnlistedOneSuppressed() {
        Past past = new Past();
        assertEquals(Action.APPROVED, Verdict.judge(restart("nginx.service"), host(false, false), false, past, LIMITS,
                NOW).status());
        Verdict other = Verdict.judge(restart("sshd.service"), host(false, false), false, past, LIMITS, NOW);
        assertEquals(Action.SUPPRESSED, other.status());
        assertTrue(other.detail().contains("not among the services"), other.detail());
        Proposal kill = new Proposal(7, "kill_process", "postgres", Optional.of(99L), Optional.of(1.0), "memory",
                Optional.empty());
        assertEquals(Action.SUPPRESSED, Verdict.judge(kill, host(false, false), false, past, LIMITS, NOW).status());
    }

    @Test
    void aHostThatRequiresApprovalHasRestartsAndKillsWaitForAnOperator() {
        Host strict = host(new Host.Policy(List.of("nginx.service"), List.of("java"), false, false, true));
        Verdict restart = Verdict.judge(restart("nginx.service"), strict, false, new Past(), LIMITS, NOW);
        assertEquals(Action.PENDING_APPROVAL, restart.status(), restart.detail());
        assertEquals("the policy of db-1 has every restart wait for an operator's approval", restart.detail());
        assertEquals(Action.SUPPRESSED, Verdict.judge(restart("sshd.service"), strict, false, new Past(), LIMITS,
                NOW).status(), "the allow-list still comes first");
        assertEquals(Action.DRY_RUN, Verdict.judge(restart("nginx.service"), strict, true, new Past(), LIMITS,
                NOW).status(), "dry run still records only");
        Verdict approved = Verdict.onApproval(restart("nginx.service"), strict, false, new Past(), LIMITS, NOW, "ops");
        assertEquals(Action.APPROVED, approved.status());
    }

    @Test
    void theFourthRestartIn15MinutesIsSuppressedWithTheBudgetFlagAndTheWindowSlides() {
        Past past = new Past();
        for (int minute : new int[] {14, 9, 2}) {
            past.done.add(new Past.Done(7, "restart_service", "nginx.service", NOW.minusSeconds(minute * 60L),
                    "approved"));
        }
        Verdict fourth = Verdict.judge(restart("nginx.service"), host(false, false), false, past, LIMITS, NOW);
        assertEquals(Action.SUPPRESSED, fourth.status());
        assertTrue(fourth.budgetSpent());
        assertTrue(fourth.detail().startsWith("automatic restart of nginx.service suppressed"), fourth.detail());
        Verdict later = Verdict.judge(restart("nginx.service"), host(false, false), false, past, LIMITS,
                NOW.plusSeconds(61));
        assertEquals(Action.APPROVED, later.status(), "the oldest restart left the 15-minute window");
    }

    @Test
    void suppressedAndRejectedActionsDoNotSpendTheBudget() {
        Past past = new Past();
        for (int i = 0; i < 5; i++) {
            past.done.add(new Past.Done(7, "restart_service", "nginx.service", NOW.minusSeconds(60), "suppressed"));
        }
        assertEquals(Action.APPROVED, Verdict.judge(restart("nginx.service"), host(false, false), false, past, LIMITS,
                NOW).status());
    }

    @Test
    void dryRunGlobalOrPerHostRecordsButNeverApproves() {
        Past past = new Past();
        Verdict global = Verdict.judge(restart("nginx.service"), host(false, false), true, past, LIMITS, NOW);
        assertEquals(Action.DRY_RUN, global.status());
        assertTrue(global.detail().startsWith("global dry run"));
        assertEquals(Action.DRY_RUN, Verdict.judge(restart("nginx.service"), host(false, true), false, past, LIMITS,
                NOW).status());
        assertFalse(global.budgetSpent());
    }

    @Test
    void aRebootWaitsForApprovalUnlessTheHostAllowsItAndThenAtMostOneIn6Hours() {
        Past past = new Past();
        assertEquals(Action.PENDING_APPROVAL, Verdict.judge(REBOOT, host(false, false), false, past, LIMITS, NOW)
                .status());
        assertEquals(Action.APPROVED, Verdict.judge(REBOOT, host(true, false), false, past, LIMITS, NOW).status());
        past.done.add(new Past.Done(7, "reboot", "db-1", NOW.minusSeconds(5 * 3600), "approved"));
        Verdict again = Verdict.judge(REBOOT, host(true, false), false, past, LIMITS, NOW);
        assertEquals(Action.SUPPRESSED, again.status());
        assertTrue(again.detail().contains("less than 6 hours"), again.detail());
        assertEquals(Action.APPROVED, Verdict.judge(REBOOT, host(true, false), false, past, LIMITS,
                NOW.plusSeconds(3601)).status());
    }

    @Test
    void oneHostOfAGroupRebootsAtATimeAlsoWhenTheApprovalComes() {
        Past past = new Past();
        past.groupReboots = 1;
        Verdict judged = Verdict.judge(REBOOT, host(true, false), false, past, LIMITS, NOW);
        assertEquals(Action.SUPPRESSED, judged.status());
        assertTrue(judged.detail().contains("group db"), judged.detail());
        Verdict approved = Verdict.onApproval(REBOOT, host(false, false), false, past, LIMITS, NOW, "alice");
        assertEquals(Action.SUPPRESSED, approved.status());
        past.groupReboots = 0;
        assertEquals("approved by alice", Verdict.onApproval(REBOOT, host(false, false), false, past, LIMITS, NOW,
                "alice").detail());
    }

    @Test
    void aMaintenanceWindowSilencesEverything() {
        Past past = new Past();
        past.maintenance = true;
        for (Proposal p : List.of(restart("nginx.service"), REBOOT)) {
            Verdict verdict = Verdict.judge(p, host(true, false), false, past, LIMITS, NOW);
            assertEquals(Action.SUPPRESSED, verdict.status());
            assertTrue(verdict.detail().contains("maintenance"), verdict.detail());
        }
    }
}
