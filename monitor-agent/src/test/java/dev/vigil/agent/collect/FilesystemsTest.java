package dev.vigil.agent.collect;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesystemsTest {
    private static final Set<String> DEVICE_TYPES = Set.of("ext4", "xfs", "squashfs", "vfat");
    private static final Pattern NOTHING = Pattern.compile("^$");

    @Test
    void pseudoFilesystemsAreNeverReportedByDefault() {
        Filesystems defaults = new Filesystems(Set.of(), Set.of("squashfs"), NOTHING, Set.of(), Path.of("/"));
        for (String type : List.of("proc", "sysfs", "tmpfs", "overlay", "squashfs", "cgroup2", "devtmpfs")) {
            assertFalse(defaults.reports(new Mount("x", "/m", type), DEVICE_TYPES), type);
        }
        assertTrue(defaults.reports(new Mount("/dev/vda1", "/", "ext4"), DEVICE_TYPES));
    }

    @Test
    void includeTypesReplaceTheDeviceBackedDefault() {
        Filesystems tmpfsToo = new Filesystems(Set.of("tmpfs", "ext4"), Set.of(), NOTHING, Set.of(), Path.of("/"));
        assertTrue(tmpfsToo.reports(new Mount("tmpfs", "/run/user/1000", "tmpfs"), DEVICE_TYPES));
        assertFalse(tmpfsToo.reports(new Mount("/dev/vdb", "/data", "xfs"), DEVICE_TYPES));
    }

    @Test
    void excludedMountpointsAreSkipped() {
        Filesystems noBoot = new Filesystems(Set.of(), Set.of(), Pattern.compile("^/boot(/|$)"), Set.of(), Path.of("/"));
        assertFalse(noBoot.reports(new Mount("/dev/vda2", "/boot/efi", "vfat"), DEVICE_TYPES));
        assertTrue(noBoot.reports(new Mount("/dev/vda3", "/bootstrap", "ext4"), DEVICE_TYPES));
    }

    @Test
    void includedMountpointsAreTheOnlyOnesReportedAndBeatTheExcludePattern() {
        Filesystems dataAndRun = new Filesystems(Set.of(), Set.of(), Pattern.compile("^/run(/|$)"),
                Set.of("/data", "/run/media"), Path.of("/"));
        assertTrue(dataAndRun.reports(new Mount("/dev/vdb", "/data", "xfs"), DEVICE_TYPES));
        assertTrue(dataAndRun.reports(new Mount("/dev/sdc1", "/run/media", "vfat"), DEVICE_TYPES),
                "named, so the exclude pattern does not hide it");
        assertFalse(dataAndRun.reports(new Mount("/dev/vda1", "/", "ext4"), DEVICE_TYPES), "not named");
        assertFalse(dataAndRun.reports(new Mount("/dev/vdb", "/data/sub", "xfs"), DEVICE_TYPES), "exact names only");
        assertFalse(dataAndRun.reports(new Mount("tmpfs", "/data", "tmpfs"), DEVICE_TYPES),
                "still only the wanted types");
    }

    @Test
    void usageIsReadUnderTheRootfsAndALaterMountHidesAnEarlierOne(@TempDir Path rootfs) throws Exception {
        java.nio.file.Files.createDirectories(rootfs.resolve("data"));
        Filesystems all = new Filesystems(Set.of(), Set.of(), NOTHING, Set.of(), rootfs);
        var usage = all.usage(List.of(
                new Mount("/dev/old", "/data", "ext4"),
                new Mount("/dev/new", "/data", "xfs"),
                new Mount("/dev/gone", "/not-there", "ext4")), DEVICE_TYPES);

        assertEquals(1, usage.size(), "the unreadable mount is skipped, the hidden one replaced: " + usage);
        var data = usage.get(0);
        assertEquals("/dev/new", data.device());
        assertTrue(data.total() > 0 && data.used() >= 0 && data.free() >= 0);
        assertEquals(Math.round(1000.0 * data.used() / (data.used() + data.free())) / 10.0, data.percent(), 0.1);
    }
}
