package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import dev.vigil.agent.collect.Snapshot.DiskHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** smartctl is played by a real child process: a script that answers as smartctl 7 does. */
class SmartHealthTest {
    @TempDir
    Path dir;

    private Path smartctl(String script) throws IOException {
        Path file = dir.resolve("smartctl");
        Files.writeString(file, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void overallHealthOfEveryScannedDisk() throws IOException {
        Path command = smartctl("""
                case "$1" in
                  --scan) printf '/dev/sda -d sat # /dev/sda [SAT], ATA device\\n/dev/nvme0 -d nvme # /dev/nvme0, NVMe device\\n/dev/sdb -d scsi # /dev/sdb, SCSI device\\n/dev/vda -d scsi # no SMART\\n' ;;
                  -H) case "$2" in
                        /dev/sda) echo 'SMART overall-health self-assessment test result: PASSED' ;;
                        /dev/nvme0) echo 'SMART overall-health self-assessment test result: FAILED!'; exit 8 ;;
                        /dev/sdb) echo 'SMART Health Status: OK' ;;
                        *) echo 'SMART support is: Unavailable - device lacks SMART capability.'; exit 4 ;;
                      esac ;;
                esac
                """);
        List<DiskHealth> health = new SmartHealth(command.toString(), Duration.ofSeconds(10)).check();
        assertEquals(List.of(new DiskHealth("/dev/sda", true, "PASSED"),
                new DiskHealth("/dev/nvme0", false, "FAILED"),
                new DiskHealth("/dev/sdb", true, "OK")), health);
    }

    @Test
    void aHangingSmartctlIsStoppedAtTheTimeout() throws IOException {
        Path command = smartctl("exec sleep 30\n");
        long start = System.nanoTime();
        assertEquals(List.of(), new SmartHealth(command.toString(), Duration.ofMillis(300)).check());
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 10, "check() must give up at the timeout, not wait 30 s for smartctl");
    }

    @Test
    void aMissingSmartctlReportsNothing() {
        assertEquals(List.of(), new SmartHealth(dir.resolve("nope").toString(), Duration.ofSeconds(1)).check());
    }
}
