package dev.vigil.rules;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Filesystem;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Service;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionSessionTest {
    private static final String CANARY = """
            package vigil.rules
            import dev.vigil.rules.model.*
            rule "Every host with a sample is a canary"
            when
                Sample( cpuPercent >= 0, $id : hostId )
                not Warning( hostId == $id, kind == "canary" )
            then
                insert( new Warning( $id, "canary", "", Warning.WARNING, "a sample came" ) );
                insert( Remediation.restart( $id, "canary.service", "canary", "a sample came" ) );
            end
            """;

    @Test
    void reloadingTheSameRulesKeepsFactsWarningsAndStreaksAndReportsNothingTwice() {
        try (Scenario s = new Scenario()) {
            s.session.services(1, List.of(new Service(1, "nginx.service", "failed", "failed")));
            s.hold(Reading.healthy().cpu(95), Duration.ofMinutes(3));
            s.sample(Reading.healthy().cpu(95).filesystems(new Filesystem("/", "/dev/vda1", "ext4", 92)));
            s.hold(Reading.healthy().cpu(95), Duration.ofMinutes(1));
            List<Warning> open = s.session.warnings();
            int raisedBefore = s.raised.size();
            int proposedBefore = s.proposed.size();
            int clearedBefore = s.cleared.size();

            s.reload(Scenario.defaultRules());

            assertEquals(Set.copyOf(open), Set.copyOf(s.session.warnings()));
            assertEquals(raisedBefore, s.raised.size(), "the move raises nothing again");
            assertEquals(proposedBefore, s.proposed.size(), "the move proposes no second restart");
            assertEquals(clearedBefore, s.cleared.size(), "the move clears nothing");
            // The CPU streak began before the move: 5 minutes after its start, not after the move, it warns.
            long start = s.now;
            while (s.session.warnings().stream().noneMatch(w -> w.kind().equals("cpu"))) {
                s.sample(Reading.healthy().cpu(95));
            }
            assertTrue(s.now - start <= Duration.ofMinutes(2).toMillis(), "the streak carried over");
            s.assertOpen("cpu", Warning.WARNING);
        }
    }

    @Test
    void aRemediationCarriedToNewRulesIsForgottenWhenItWouldHaveBeenWithoutTheMove() {
        try (Scenario s = new Scenario()) {
            s.hold(Reading.healthy().memoryAvailable(1.5), Duration.ofMinutes(11));
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            s.hold(Reading.healthy().memoryAvailable(1.5), Duration.ofMinutes(10));
            s.reload(Scenario.defaultRules());
            s.hold(Reading.healthy().memoryAvailable(1.5), Duration.ofMinutes(4));
            assertEquals(1, s.proposed.size(), "still remembered 14 minutes after: " + s.proposed);
            s.hold(Reading.healthy().memoryAvailable(1.5), Duration.ofMinutes(2));
            assertEquals(2, s.proposed.size(), "forgotten 15 minutes after it came, not after the move: "
                    + s.proposed);
        }
    }

    @Test
    void aRemovedHostsRemediationsLeaveWithItAndTheirExpiryPassesQuietly() {
        try (Scenario s = new Scenario()) {
            s.hold(Reading.healthy().memoryAvailable(1.5), Duration.ofMinutes(11));
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            s.session.removeHost(1);
            assertEquals(0, s.session.factCount(), "the host, its sample, streaks, warnings and remediation");
            s.session.advanceTo(s.now + Duration.ofMinutes(20).toMillis());
            assertEquals(0, s.session.fire());
        }
    }

    @Test
    void aRemovedHostsWarningsAreClearedButAReleasedHostsStayOpenForItsNewOwner() {
        try (Scenario removed = new Scenario(); Scenario released = new Scenario()) {
            for (Scenario s : List.of(removed, released)) {
                s.hold(Reading.healthy().cpu(95), Duration.ofMinutes(6));
                assertEquals(1, s.raised.size(), s.raised.toString());
            }
            removed.session.removeHost(1);
            removed.session.fire();
            assertEquals(removed.raised, removed.cleared, "a deleted host's incidents resolve");

            released.session.releaseHost(1);
            released.session.fire();
            assertEquals(List.of(), released.cleared, "another instance owns the host now: nothing resolves here");
            assertEquals(0, released.session.factCount());
        }
    }

    @Test
    void aRuleAddedWhileItsConditionHoldsDecidesAtOnce() {
        try (Scenario s = new Scenario()) {
            s.hold(Reading.healthy(), Duration.ofMinutes(1));
            assertEquals(List.of(), s.raised);

            s.reload(Scenario.defaultRulesEdited(files -> files.put("canary.drl", CANARY)));

            assertEquals(List.of(new Warning(1, "canary", "", Warning.WARNING, "a sample came")), s.raised,
                    "raised by the reload itself, not by a later sample");
            assertEquals(List.of(Remediation.restart(1, "canary.service", "canary", "a sample came")), s.proposed);
            s.hold(Reading.healthy(), Duration.ofMinutes(1));
            assertEquals(1, s.raised.size(), "and only once");
            assertEquals(1, s.proposed.size());
        }
    }

    @Test
    void aThresholdChangedSoThatItMatchesNowRaisesAtOnce() {
        try (Scenario s = new Scenario()) {
            s.hold(Reading.healthy().filesystems(new Filesystem("/", "/dev/vda1", "ext4", 60)), Duration.ofMinutes(1));
            s.assertNone("disk");

            s.reload(Scenario.defaultRulesEdited(files -> files.put("disk.drl",
                    files.get("disk.drl").replace("\"disk_warning_percent\", 90", "\"disk_warning_percent\", 50")
                            .replace("\"disk_clear_percent\", 85", "\"disk_clear_percent\", 45"))));

            assertEquals("/", s.only(s.raised, "disk").subject());
            s.assertOpen("disk", Warning.WARNING);
        }
    }

    @Test
    void warningsOfARemovedRuleResolveAtTheReloadAndTheOthersStay() {
        try (Scenario s = new Scenario()) {
            s.session.services(1, List.of(new Service(1, "nginx.service", "failed", "failed")));
            s.sample(Reading.healthy().filesystems(new Filesystem("/", "/dev/vda1", "ext4", 92)));
            s.assertOpen("service", Warning.WARNING);
            s.assertOpen("disk", Warning.WARNING);

            s.reload(Scenario.defaultRulesEdited(files -> files.remove("services.drl")));

            assertEquals(List.of("service"), s.cleared.stream().map(Warning::kind).toList(),
                    "no rule is left that could ever resolve it");
            s.assertNone("service");
            s.assertOpen("disk", Warning.WARNING);
            assertEquals(List.of(), s.changed);
        }
    }

    @Test
    void aRenamedRuleTakesItsWarningOverWithoutReopeningIt() {
        try (Scenario s = new Scenario()) {
            s.sample(Reading.healthy().filesystems(new Filesystem("/", "/dev/vda1", "ext4", 92)));
            Warning disk = s.only(s.raised, "disk");

            s.reload(Scenario.defaultRulesEdited(files -> files.put("disk.drl", files.get("disk.drl")
                    .replace("rule \"A filesystem at the warning level is a warning\"",
                            "rule \"A filesystem at 90% is a warning\""))));

            assertEquals(List.of(), s.cleared, "cleared as an orphan, raised again by its new name: no change");
            assertEquals(List.of(disk), s.raised);
            assertEquals(List.of(disk), s.session.warnings());
        }
    }

    @Test
    void warningsRecalledAfterARestartAreNotRaisedAgainAndResolveWhenTheirConditionClears() {
        // a new session, as after a server restart, learns the incidents the database still holds open
        try (Scenario restarted = new Scenario()) {
            restarted.session.services(1, List.of(new Service(1, "nginx.service", "active", "running")));
            restarted.session.sample(new dev.vigil.rules.model.Sample(restarted.host, restarted.now, 97, 4, 60, 5,
                    0.5, 0.5, 0.5, List.of(), List.of(), List.of(), List.of(), List.of()));
            Warning nginxDown = new Warning(1, "service", "nginx.service", Warning.WARNING,
                    "nginx.service is failed (failed)");
            Warning cpuHigh = new Warning(1, "cpu", "", Warning.WARNING, "CPU above 90% for 5 minutes");
            restarted.session.recall(List.of(nginxDown, cpuHigh));
            assertEquals(List.of(), restarted.raised, "known already: not raised again");

            restarted.hold(Reading.healthy().cpu(97), Duration.ofMinutes(6));
            assertEquals(List.of(nginxDown), restarted.cleared, "nginx runs again: its incident resolves");
            assertEquals(List.of(), restarted.raised, "the CPU warning is still the recalled one");
            restarted.assertOpen("cpu", Warning.WARNING);
        }
    }

    @Test
    void rulesThatUndoEachOtherStopAfterTheLimitAndAreNamed() {
        try (Scenario s = new Scenario()) {
            s.hold(Reading.healthy(), Duration.ofMinutes(1));
            DecisionSession.RuleLoop loop = assertThrows(DecisionSession.RuleLoop.class, () -> s.reload(
                    Scenario.defaultRulesEdited(files -> files.put("loop.drl", """
                            package vigil.rules
                            import dev.vigil.rules.model.*
                            rule "Raise a flapping warning"
                            when
                                Sample( $id : hostId )
                                not Warning( hostId == $id, kind == "flap" )
                            then
                                insert( new Warning( $id, "flap", "", Warning.WARNING, "up" ) );
                            end
                            rule "Clear the flapping warning"
                            when
                                $warning : Warning( kind == "flap" )
                            then
                                delete( $warning );
                            end
                            """))));
            assertTrue(loop.getMessage().contains("\"Raise a flapping warning\""), loop.getMessage());
            assertTrue(loop.getMessage().contains("\"Clear the flapping warning\""), loop.getMessage());
        }
    }
}
