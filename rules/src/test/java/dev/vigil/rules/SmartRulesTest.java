package dev.vigil.rules;

import java.time.Duration;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.DiskHealth;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmartRulesTest {
    private static final DiskHealth SDA_PASSED = new DiskHealth("/dev/sda", true, "PASSED");
    private static final DiskHealth SDA_FAILED = new DiskHealth("/dev/sda", false, "FAILED");
    private static final DiskHealth SDB_PASSED = new DiskHealth("/dev/sdb", true, "OK");
    private static final DiskHealth SDB_FAILED = new DiskHealth("/dev/sdb", false, "FAILED");

    @Test
    void aFailingDiskIsCriticalAtOnceWithNothingToFix() {
        try (Scenario s = new Scenario()) {
            s.hold(Reading.healthy().disks(SDA_PASSED, SDB_PASSED), Duration.ofMinutes(5));
            s.assertNone("smart");

            s.sample(Reading.healthy().disks(SDA_FAILED, SDB_PASSED));
            s.assertOpen("smart", Warning.CRITICAL);
            Warning warning = s.only(s.raised, "smart");
            assertEquals("smart:/dev/sda", warning.key());
            assertEquals("SMART health of /dev/sda is FAILED: the disk is failing", warning.message());
            assertTrue(s.proposed.isEmpty(), "no automatic action: " + s.proposed);

            s.hold(Reading.healthy().disks(SDA_FAILED, SDB_PASSED), Duration.ofMinutes(30));
            assertEquals(1, s.count(s.raised, "smart"), "one incident however long it fails");
            assertTrue(s.changed.isEmpty(), s.changed.toString());
        }
    }

    @Test
    void eachDiskIsItsOwnIncidentAndResolvesWhenItPassesAgain() {
        try (Scenario s = new Scenario()) {
            s.sample(Reading.healthy().disks(SDA_FAILED, SDB_FAILED));
            assertEquals(2, s.count(s.session.warnings(), "smart"));

            s.sample(Reading.healthy().disks(SDA_PASSED, SDB_FAILED));
            assertEquals("/dev/sdb", s.only(s.session.warnings(), "smart").subject());
            assertEquals("/dev/sda", s.only(s.cleared, "smart").subject());
        }
    }

    @Test
    void aFailingDiskNoLongerReportedStaysOpen() {
        try (Scenario s = new Scenario()) {
            s.sample(Reading.healthy().disks(SDA_FAILED));
            s.hold(Reading.healthy(), Duration.ofMinutes(5));
            s.assertOpen("smart", Warning.CRITICAL);
            assertTrue(s.cleared.isEmpty(), s.cleared.toString());
        }
    }
}
