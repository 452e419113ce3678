package dev.vigil.rules;

import java.util.List;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Service;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceRulesTest {
    private static Service nginx(String active, String sub) {
        return new Service(1, "nginx.service", active, sub);
    }

    private static void report(Scenario s, Service... services) {
        s.session.services(1, List.of(services));
        s.sample(Reading.healthy());
    }

    @Test
    void aFailedServiceIsRestartedOncePerFailureAndIsAWarningUntilItRuns() {
        try (Scenario s = new Scenario()) {
            report(s, nginx("active", "running"));
            assertTrue(s.proposed.isEmpty());
            report(s, nginx("failed", "failed"));
            report(s, nginx("failed", "failed"));
            report(s, nginx("failed", "failed"));
            assertEquals(1, s.proposed.size(), "one restart for one failure: " + s.proposed);
            Remediation restart = s.proposed.getFirst();
            assertEquals(Remediation.RESTART_SERVICE, restart.type());
            assertEquals("nginx.service", restart.target());
            assertEquals("service:nginx.service", restart.cause(), "the key of its warning");
            s.assertOpen("service", Warning.WARNING);

            report(s, nginx("active", "running"));
            s.assertNone("service");
            report(s, nginx("failed", "failed"));
            assertEquals(2, s.proposed.size(), "a second failure, a second restart");
        }
    }

    @Test
    void anInactiveWatchedServiceIsRestartedAndActivatingIsLeftAlone() {
        try (Scenario s = new Scenario()) {
            report(s, nginx("activating", "start"));
            assertTrue(s.proposed.isEmpty());
            report(s, nginx("inactive", "dead"));
            assertEquals(1, s.proposed.size());
        }
    }

    @Test
    void aServiceNoLongerWatchedResolves() {
        try (Scenario s = new Scenario()) {
            report(s, nginx("failed", "failed"));
            report(s);
            s.assertNone("service");
        }
    }
}
