package dev.vigil.rules;

import dev.vigil.rules.Scenario.Reading;
import dev.vigil.rules.model.Filesystem;
import dev.vigil.rules.model.Warning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiskRulesTest {
    private static Filesystem root(double percent) {
        return new Filesystem("/", "/dev/vda1", "ext4", percent);
    }

    private static Filesystem data(double percent) {
        return new Filesystem("/data", "/dev/vdb1", "xfs", percent);
    }

    @Test
    void at90PercentAWarningAt97CriticalOneIncidentPerMountpoint() {
        try (Scenario s = new Scenario()) {
            s.sample(Reading.healthy().filesystems(root(89.9), data(50)));
            s.assertNone("disk");
            s.sample(Reading.healthy().filesystems(root(90), data(50)));
            s.assertOpen("disk", Warning.WARNING);
            assertEquals("/", s.only(s.raised, "disk").subject());
            s.sample(Reading.healthy().filesystems(root(97), data(97)));
            assertEquals(2, s.count(s.session.warnings(), "disk"));
            s.session.warnings().forEach(w -> assertEquals(Warning.CRITICAL, w.severity(), w.toString()));
            assertEquals(1, s.changed.size(), "/ went from warning to critical");
        }
    }

    @Test
    void itResolvesBelow85OrWhenTheFilesystemIsGone() {
        try (Scenario s = new Scenario()) {
            s.sample(Reading.healthy().filesystems(root(92), data(93)));
            s.sample(Reading.healthy().filesystems(root(86), data(93)));
            assertEquals(2, s.count(s.session.warnings(), "disk"));
            s.sample(Reading.healthy().filesystems(root(84.9), data(93)));
            s.sample(Reading.healthy().filesystems(root(84.9)));
            s.assertNone("disk");
            assertEquals(2, s.count(s.cleared, "disk"));
        }
    }
}
