package dev.vigil.rules;

import java.time.Duration;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Temperature;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadSwapTemperatureRulesTest {
    private static final Reading HEALTHY = Reading.healthy(); // 4 CPUs

    @Test
    void loadAboveTwiceTheCpusFor10MinutesIsAWarningAndResolvesBelowOneAndAHalf() {
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.load(8), Duration.ofMinutes(15));
            s.assertNone("load");
            s.hold(HEALTHY.load(8.1), Duration.ofMinutes(10));
            s.assertNone("load");
            s.sample(HEALTHY.load(8.1));
            s.assertOpen("load", Warning.WARNING);
            s.sample(HEALTHY.load(6.5));
            s.assertOpen("load", Warning.WARNING);
            s.sample(HEALTHY.load(5.9));
            s.assertNone("load");
        }
    }

    @Test
    void swapAbove80AndRisingFor5MinutesIsAWarningButNotWhenFlat() {
        try (Scenario flat = new Scenario()) {
            flat.hold(HEALTHY.swap(85), Duration.ofMinutes(20));
            flat.assertNone("swap");
        }
        try (Scenario s = new Scenario()) {
            s.hold(HEALTHY.swap(81), Duration.ofMinutes(3));
            s.hold(HEALTHY.swap(86), Duration.ofMinutes(2));
            s.assertNone("swap");
            s.sample(HEALTHY.swap(86));
            s.assertOpen("swap", Warning.WARNING);
            s.sample(HEALTHY.swap(75));
            s.assertOpen("swap", Warning.WARNING);
            s.sample(HEALTHY.swap(69));
            s.assertNone("swap");
        }
    }

    @Test
    void aSensorAtItsHighLimitIsAWarningAtCriticalCriticalAndResolves5DegreesBelowHigh() {
        try (Scenario s = new Scenario()) {
            s.sample(HEALTHY.temperatures(new Temperature("coretemp", "Package id 0", 79.9, 80.0, 100.0)));
            s.assertNone("temperature");
            s.sample(HEALTHY.temperatures(new Temperature("coretemp", "Package id 0", 80, 80.0, 100.0)));
            s.assertOpen("temperature", Warning.WARNING);
            s.sample(HEALTHY.temperatures(new Temperature("coretemp", "Package id 0", 100, 80.0, 100.0)));
            s.assertOpen("temperature", Warning.CRITICAL);
            s.sample(HEALTHY.temperatures(new Temperature("coretemp", "Package id 0", 76, 80.0, 100.0)));
            s.assertOpen("temperature", Warning.CRITICAL);
            s.sample(HEALTHY.temperatures(new Temperature("coretemp", "Package id 0", 74.9, 80.0, 100.0)));
            s.assertNone("temperature");
        }
    }

    @Test
    void aSensorWithoutLimitsNeverWarns() {
        try (Scenario s = new Scenario()) {
            s.sample(HEALTHY.temperatures(new Temperature("acpitz", "", 120, null, null)));
            assertTrue(s.session.warnings().isEmpty());
        }
    }
}
