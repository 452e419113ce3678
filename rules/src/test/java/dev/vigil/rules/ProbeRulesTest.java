package dev.vigil.rules;

import java.util.Map;
import java.util.Set;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Probe;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeRulesTest {
    private static Reading nginx(int consecutiveFailures) {
        Probe probe = consecutiveFailures == 0
                ? new Probe("nginx", "nginx.service", true, 1.2, null, 0)
                : new Probe("nginx", "nginx.service", false, 2.1, "HTTP 503", consecutiveFailures);
        return Reading.healthy().probes(probe);
    }

    /** Samples of a probe failing from its first failure up to {@code last} in a row. */
    private static void failing(Scenario s, int first, int last) {
        for (int failures = first; failures <= last; failures++) {
            s.sample(nginx(failures));
        }
    }

    @Test
    void twoFailuresInARowAreNothingAndTheThirdRestartsTheUnitAndWarns() {
        try (Scenario s = new Scenario()) {
            failing(s, 1, 2);
            assertTrue(s.proposed.isEmpty(), s.proposed.toString());
            s.assertNone("probe");

            s.sample(nginx(3));
            s.assertOpen("probe", Warning.WARNING);
            Warning warning = s.only(s.raised, "probe");
            assertEquals("nginx", warning.subject());
            assertEquals("probe nginx of nginx.service failed 3 times in a row: HTTP 503", warning.message());
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            Remediation restart = s.proposed.getFirst();
            assertEquals(Remediation.RESTART_SERVICE, restart.type());
            assertEquals("nginx.service", restart.target());
            assertEquals("probe:nginx", restart.cause());
            assertEquals(warning.key(), restart.cause(), "the restart names its incident");
        }
    }

    @Test
    void oneRestartPerStreakHoweverLongItLasts() {
        try (Scenario s = new Scenario()) {
            failing(s, 1, 200);
            assertEquals(1, s.proposed.size(), s.proposed.toString());
            assertEquals(1, s.count(s.raised, "probe"));
        }
    }

    @Test
    void aProbeThatPassesAgainResolvesAndANewStreakRestartsAgain() {
        try (Scenario s = new Scenario()) {
            failing(s, 1, 5);
            s.sample(nginx(0));
            s.assertNone("probe");
            assertEquals(1, s.count(s.cleared, "probe"));

            failing(s, 1, 2);
            assertEquals(1, s.proposed.size(), "a new streak starts from one");
            s.sample(nginx(3));
            s.assertOpen("probe", Warning.WARNING);
            assertEquals(2, s.proposed.size(), "a second streak, a second restart");
        }
    }

    @Test
    void aProbeNoLongerReportedResolves() {
        try (Scenario s = new Scenario()) {
            failing(s, 1, 3);
            s.sample(Reading.healthy());
            s.assertNone("probe");
        }
    }

    @Test
    void eachProbeIsItsOwnIncident() {
        try (Scenario s = new Scenario()) {
            Probe redis = new Probe("redis", "redis-server.service", false, 2000, "timed out after 2s", 3);
            s.sample(Reading.healthy().probes(new Probe("nginx", "nginx.service", false, 2.1, "HTTP 503", 3), redis));
            assertEquals(2, s.session.warnings().size(), s.session.warnings().toString());
            assertEquals(Set.of("nginx.service", "redis-server.service"),
                    Set.copyOf(s.proposed.stream().map(Remediation::target).toList()));
            s.sample(Reading.healthy().probes(new Probe("nginx", "nginx.service", true, 1, null, 0), redis));
            assertEquals("redis", s.only(s.session.warnings(), "probe").subject());
        }
    }

    @Test
    void theHostsLabelSetsHowManyFailuresCount() {
        try (Scenario s = new Scenario(Map.of("probe_failures", "5"), Set.of(), false)) {
            failing(s, 1, 4);
            assertTrue(s.proposed.isEmpty(), s.proposed.toString());
            s.sample(nginx(5));
            assertEquals(1, s.proposed.size());
            s.assertOpen("probe", Warning.WARNING);
        }
    }
}
