package dev.vigil.rules;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuRulesTest {
    private static final Reading HEALTHY = Reading.healthy();

    @Test
    void above90For5MinutesIsAWarningAndNotOneSampleBefore() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.cpu(91), Duration.ofMinutes(5));
            s.assertNone("cpu");
            s.sample(HEALTHY.cpu(91));
            s.assertOpen("cpu", Warning.WARNING);
            assertTrue(s.only(s.raised, "cpu").message().contains("91%"), s.raised.toString());
        }
    }

    @Test
    void exactly90IsNotAbove90() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.cpu(90), Duration.ofMinutes(20));
            s.assertNone("cpu");
        }
    }

    @Test
    void oneSampleBelowRestartsTheFiveMinutes() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.cpu(95), Duration.ofMinutes(4)).sample(HEALTHY.cpu(85));
            s.hold(HEALTHY.cpu(95), Duration.ofMinutes(4));
            s.assertNone("cpu");
            s.hold(HEALTHY.cpu(95), Duration.ofMinutes(2));
            s.assertOpen("cpu", Warning.WARNING);
        }
    }

    @Test
    void above98For10MinutesTurnsTheWarningCritical() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.cpu(99), Duration.ofMinutes(10));
            s.assertOpen("cpu", Warning.WARNING);
            s.sample(HEALTHY.cpu(99));
            s.assertOpen("cpu", Warning.CRITICAL);
            assertEquals(1, s.changed.size(), "one incident, updated — not a second one");
            assertEquals(1, s.count(s.raised, "cpu"));
        }
    }

    @Test
    void itResolvesBelow80AndNotBetween80And90() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.cpu(95), Duration.ofMinutes(6));
            s.hold(HEALTHY.cpu(85), Duration.ofMinutes(10));
            s.assertOpen("cpu", Warning.WARNING);
            s.sample(HEALTHY.cpu(79));
            s.assertNone("cpu");
            assertEquals(1, s.count(s.cleared, "cpu"));
        }
    }

    @Test
    void aHostLabelMovesTheLimit() {
        try (Scenario s = new Scenario(Map.of("cpu_warning_percent", "97"), Set.of(), false)) {
            s.hold(HEALTHY.cpu(95), Duration.ofMinutes(10));
            s.assertNone("cpu");
        }
    }
}
