package dev.vigil.rules;

import java.time.Duration;
import java.util.List;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Service;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionSessionTest {
    @Test
    void movingToNewRulesKeepsFactsWarningsAndStreaksAndReportsNothingTwice() {
        try (Scenario s = new Scenario()) {
            s.session.services(1, List.of(new Service(1, "nginx.service", "failed", "failed")));
            s.hold(Reading.healthy().cpu(95), Duration.ofMinutes(3));
            s.sample(Reading.healthy().cpu(95).filesystems(new dev.vigil.rules.model.Filesystem("/", "/dev/vda1", "ext4", 92)));
            s.hold(Reading.healthy().cpu(95), Duration.ofMinutes(1));
            int raisedBefore = s.raised.size();
            int proposedBefore = s.proposed.size();

            DecisionSession moved = s.session.withRules(Scenario.defaultRules());
            try {
                assertEquals(s.session.warnings().size(), moved.warnings().size());
                assertEquals(raisedBefore, s.raised.size(), "the move raises nothing again");
                assertEquals(proposedBefore, s.proposed.size(), "the move proposes no second restart");
                // The CPU streak began before the move: 5 minutes after its start, not after the move, it warns.
                long start = s.now;
                while (moved.warnings().stream().noneMatch(w -> w.kind().equals("cpu"))) {
                    moved.sample(new dev.vigil.rules.model.Sample(s.host, s.now, 95, 4, 60, 5, 0.5, 0.5, 0.5,
                            List.of(), List.of(), List.of(), List.of()));
                    moved.fire();
                    s.now += Scenario.INTERVAL.toMillis();
                }
                assertTrue(s.now - start <= Duration.ofMinutes(2).toMillis(), "the streak carried over");
                assertEquals(Warning.WARNING, moved.warnings().stream().filter(w -> w.kind().equals("cpu"))
                        .findFirst().orElseThrow().severity());
            } finally {
                moved.close();
            }
        }
    }

    @Test
    void warningsRecalledAfterARestartAreNotRaisedAgainAndResolveWhenTheirConditionClears() {
        // a new session, as after a server restart, learns the incidents the database still holds open
        try (Scenario restarted = new Scenario()) {
            restarted.session.services(1, List.of(new Service(1, "nginx.service", "active", "running")));
            restarted.session.sample(new dev.vigil.rules.model.Sample(restarted.host, restarted.now, 97, 4, 60, 5,
                    0.5, 0.5, 0.5, List.of(), List.of(), List.of(), List.of()));
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
}
