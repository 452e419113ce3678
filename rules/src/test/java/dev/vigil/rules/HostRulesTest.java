package dev.vigil.rules;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.HostDown;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostRulesTest {
    @Test
    void aHostDownIsCriticalAndResolvesWhenItAnswers() {
        try (Scenario s = new Scenario()) {
            s.sample(Reading.healthy());
            s.session.hostDown(new HostDown(1, s.now, "connection refused"));
            s.session.fire();
            s.assertOpen("host-down", Warning.CRITICAL);
            assertTrue(s.only(s.raised, "host-down").message().contains("connection refused"));
            s.session.hostUp(1);
            s.sample(Reading.healthy());
            s.assertNone("host-down");
            assertEquals(1, s.count(s.cleared, "host-down"));
        }
    }
}
