package dev.vigil.rules;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Process;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryRulesTest {
    private static final Process RUNAWAY = new Process(4242, "java", "app", 30, 85,
            Scenario.startedBefore(99_999.5));
    private static final Process SMALL = new Process(777, "worker", "app", 1, 5, Scenario.startedBefore(99_900));
    private static final Process RUNAWAY_GONE_SMALL = new Process(5151, "java", "app", 1, 19.9,
            Scenario.startedBefore(-200));
    private static final Reading HEALTHY = Reading.healthy().processes(RUNAWAY, SMALL);

    @Test
    void below10PercentAvailableFor2MinutesIsAWarning() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.memoryAvailable(9.9), Duration.ofMinutes(2));
            s.assertNone("memory");
            s.sample(HEALTHY.memoryAvailable(9.9));
            s.assertOpen("memory", Warning.WARNING);
        }
    }

    @Test
    void exactly10PercentIsNoWarning() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.memoryAvailable(10), Duration.ofMinutes(10));
            s.assertNone("memory");
        }
    }

    @Test
    void itResolvesAt15PercentAndNotBelow() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.memoryAvailable(5), Duration.ofMinutes(3));
            s.hold(HEALTHY.memoryAvailable(14), Duration.ofMinutes(5));
            s.assertOpen("memory", Warning.WARNING);
            s.sample(HEALTHY.memoryAvailable(15));
            s.assertNone("memory");
        }
    }

    @Test
    void below3PercentTheBiggestKillableProcessIsKilledOnce() {
        try (Scenario s = new Scenario(Map.of(), Set.of("java", "worker"), false)) {
            s.sample(HEALTHY.memoryAvailable(3));
            assertTrue(s.proposed.isEmpty(), "3% is not below 3%");
            s.hold(HEALTHY.memoryAvailable(2.5), Duration.ofMinutes(2));
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            Remediation kill = s.proposed.getFirst();
            assertEquals(Remediation.KILL_PROCESS, kill.type());
            assertEquals("java", kill.target());
            assertEquals(4242, kill.pid());
            assertEquals(Scenario.startedBefore(99_999.5), kill.createTime());
            assertEquals("runaway:java", kill.cause());
            assertEquals("java (pid 4242) holds 85% of memory with 2.5% available", kill.reason());
        }
    }

    @Test
    void theRunawayBeingKilledIsCriticalOnceUntilNoProcessOfItsNameHolds20Percent() {
        try (Scenario s = new Scenario(Map.of(), Set.of("java", "worker"), false)) {
            s.hold(HEALTHY.memoryAvailable(2.5), Duration.ofMinutes(2));
            s.assertOpen("runaway", Warning.CRITICAL);
            Warning runaway = s.only(s.raised, "runaway");
            assertEquals("runaway:java", runaway.key(), "the key the kill names as its cause");
            assertEquals("java (pid 4242) holds 85% of memory with 2.5% available", runaway.message());

            Process restarted = new Process(5151, "java", "app", 30, 20, Scenario.startedBefore(-200));
            s.sample(HEALTHY.memoryAvailable(40).processes(restarted, SMALL));
            s.assertOpen("runaway", Warning.CRITICAL);
            s.sample(HEALTHY.memoryAvailable(40).processes(RUNAWAY_GONE_SMALL, SMALL));
            s.assertNone("runaway");
            assertEquals(1, s.count(s.raised, "runaway"));
            assertEquals(1, s.count(s.cleared, "runaway"));
        }
    }

    @Test
    void theRunawayWarningFollowsTheHostsRunawayLimit() {
        try (Scenario s = new Scenario(Map.of("runaway_memory_percent", "90"), Set.of("java"), false)) {
            s.hold(HEALTHY.memoryAvailable(2.5), Duration.ofMinutes(2));
            s.assertNone("runaway");
            assertTrue(s.proposed.isEmpty(), "85% is no runaway on this host: " + s.proposed);
        }
    }

    @Test
    void aRebootNamesTheMemoryIncidentAsItsCause() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(11));
            assertEquals("memory", s.proposed.getFirst().cause());
        }
    }

    @Test
    void aProcessTheHostDoesNotAllowIsNeverKilled() {
        try (Scenario s = new Scenario(Map.of(), Set.of("worker"), false)) {
            s.hold(HEALTHY.memoryAvailable(1), Duration.ofMinutes(5));
            assertTrue(s.proposed.isEmpty(), "worker is killable but no runaway (5%); java is not killable: "
                    + s.proposed);
            s.assertNone("runaway");
        }
    }

    @Test
    void below2PercentFor10MinutesWithNothingKillableProposesOneRebootAndGoesCritical() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(10));
            assertTrue(s.proposed.isEmpty(), "not before 10 minutes: " + s.proposed);
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(5));
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            assertEquals(Remediation.REBOOT, s.proposed.getFirst().type());
            assertEquals("web-1", s.proposed.getFirst().target());
            s.assertOpen("memory", Warning.CRITICAL);
        }
    }

    @Test
    void aRebootThatDidNotHappenIsProposedAgainOnlyAfter15Minutes() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(11));
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(14));
            assertEquals(1, s.proposed.size(), "remembered for 15 minutes: " + s.proposed);
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(2));
            assertEquals(2, s.proposed.size(), "forgotten after 15 minutes, and still needed: " + s.proposed);
            assertEquals(Remediation.REBOOT, s.proposed.getLast().type());
        }
    }

    @Test
    void aKillableRunawayMeansNoReboot() {
        try (Scenario s = new Scenario(Map.of(), Set.of("java"), false)) {
            s.hold(HEALTHY.memoryAvailable(1.5), Duration.ofMinutes(15));
            assertTrue(s.proposed.stream().noneMatch(r -> r.type().equals(Remediation.REBOOT)), s.proposed.toString());
        }
    }
}
