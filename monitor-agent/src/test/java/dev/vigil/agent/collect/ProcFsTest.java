package dev.vigil.agent.collect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.vigil.agent.TestSupport;
import dev.vigil.agent.collect.Snapshot.DiskIo;
import dev.vigil.agent.collect.Snapshot.NetIo;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot math against psutil itself: host-a is a captured /proc, and host-a/expected.json is what
 * psutil 5.9 computed from those same files (see expected.py beside them).
 */
class ProcFsTest {
    @TempDir
    Path root;
    private ProcFs procFs;
    private JsonObject psutil;

    @BeforeEach
    void captureOfHostA() throws IOException {
        TestSupport.copyFixture("host-a", root);
        procFs = new ProcFs(root);
        try (InputStream in = Files.newInputStream(root.resolve("expected.json"))) {
            psutil = Json.createReader(in).readObject();
        }
    }

    private List<CpuTimes> cpuTimesFrom(String statFile) throws IOException {
        Files.copy(root.resolve(statFile), root.resolve("stat"), StandardCopyOption.REPLACE_EXISTING);
        return procFs.cpuTimes();
    }

    @Test
    void cpuPercentIsBusyTicksOverAllTicksBetweenTwoReadingsAsPsutil() throws IOException {
        List<CpuTimes> first = cpuTimesFrom("stat.1");
        List<CpuTimes> second = cpuTimesFrom("stat.2");

        assertEquals(psutil.getJsonNumber("cpu_percent").doubleValue(), second.get(0).percentSince(first.get(0)));
        List<JsonValue> perCpu = psutil.getJsonArray("per_cpu_percent");
        assertEquals(perCpu.size(), second.size() - 1, "one entry per online CPU");
        for (int i = 0; i < perCpu.size(); i++) {
            assertEquals(((jakarta.json.JsonNumber) perCpu.get(i)).doubleValue(),
                    second.get(i + 1).percentSince(first.get(i + 1)), "cpu" + i);
        }
    }

    @Test
    void cpuPercentIsZeroWhenNoTickPassed() throws IOException {
        CpuTimes same = cpuTimesFrom("stat.1").get(0);
        assertEquals(0.0, same.percentSince(same));
    }

    @Test
    void bootTimeIsBtimeInEpochSeconds() throws IOException {
        cpuTimesFrom("stat.1");
        assertEquals(psutil.getJsonNumber("boot_time").longValue(), procFs.bootTime());
    }

    @Test
    void virtualMemoryMatchesPsutilIncludingPercentFromMemAvailable() throws IOException {
        var memory = procFs.memInfo().virtualMemory();
        JsonObject expected = psutil.getJsonObject("virtual_memory");
        assertEquals(expected.getJsonNumber("total").longValue(), memory.total());
        assertEquals(expected.getJsonNumber("available").longValue(), memory.available());
        assertEquals(expected.getJsonNumber("used").longValue(), memory.used());
        assertEquals(expected.getJsonNumber("free").longValue(), memory.free());
        assertEquals(expected.getJsonNumber("percent").doubleValue(), memory.percent());
    }

    @Test
    void swapMemoryMatchesPsutil() throws IOException {
        var swap = procFs.memInfo().swapMemory();
        JsonObject expected = psutil.getJsonObject("swap_memory");
        assertEquals(expected.getJsonNumber("total").longValue(), swap.total());
        assertEquals(expected.getJsonNumber("used").longValue(), swap.used());
        assertEquals(expected.getJsonNumber("free").longValue(), swap.free());
        assertEquals(expected.getJsonNumber("percent").doubleValue(), swap.percent());
    }

    @Test
    void swapPercentIsZeroWithoutSwap() {
        var swap = new MemInfo(Map.of("SwapTotal", 0L, "SwapFree", 0L)).swapMemory();
        assertEquals(0.0, swap.percent());
    }

    @Test
    void loadAverageIsTheFirstThreeFieldsOfLoadavg() throws IOException {
        String[] fields = Files.readString(root.resolve("loadavg")).trim().split("\\s+");
        assertEquals(List.of(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2])), procFs.loadAvg());
    }

    @Test
    void diskCountersMatchPsutilLessIdleVirtualDevices() throws IOException {
        Map<String, DiskIo> ours = procFs.diskIo();
        JsonObject expected = psutil.getJsonObject("disk_io_counters");
        for (String device : expected.keySet()) {
            JsonObject e = expected.getJsonObject(device);
            DiskIo d = ours.get(device);
            if (d == null) {
                assertTrue(device.startsWith("loop") || device.startsWith("ram"), device + " is missing");
                assertEquals(0, e.getJsonNumber("read_count").longValue() + e.getJsonNumber("write_count").longValue(),
                        device + " did I/O, so it must be reported");
                continue;
            }
            assertEquals(e.getJsonNumber("read_bytes").longValue(), d.readBytes(), device);
            assertEquals(e.getJsonNumber("write_bytes").longValue(), d.writeBytes(), device);
            assertEquals(e.getJsonNumber("read_count").longValue(), d.readCount(), device);
            assertEquals(e.getJsonNumber("write_count").longValue(), d.writeCount(), device);
        }
        assertTrue(ours.containsKey("vda"));
    }

    @Test
    void networkCountersMatchPsutil() throws IOException {
        Map<String, NetIo> ours = procFs.netIo();
        JsonObject expected = psutil.getJsonObject("net_io_counters");
        assertEquals(expected.keySet(), ours.keySet());
        for (String nic : expected.keySet()) {
            JsonObject e = expected.getJsonObject(nic);
            NetIo n = ours.get(nic);
            assertEquals(e.getJsonNumber("bytes_sent").longValue(), n.bytesSent(), nic);
            assertEquals(e.getJsonNumber("bytes_recv").longValue(), n.bytesRecv(), nic);
            assertEquals(e.getJsonNumber("packets_sent").longValue(), n.packetsSent(), nic);
            assertEquals(e.getJsonNumber("packets_recv").longValue(), n.packetsRecv(), nic);
            assertEquals(e.getJsonNumber("errin").longValue(), n.errin(), nic);
            assertEquals(e.getJsonNumber("errout").longValue(), n.errout(), nic);
            assertEquals(e.getJsonNumber("dropin").longValue(), n.dropin(), nic);
            assertEquals(e.getJsonNumber("dropout").longValue(), n.dropout(), nic);
        }
    }

    @Test
    void realFilesystemsArePsutilsPartitionsLessSquashfsAndExcludedMountpoints() throws IOException {
        Filesystems defaults = new Filesystems(Set.of(), Set.of("squashfs"),
                Pattern.compile("^/(dev|proc|sys|run|snap|var/lib/docker|var/lib/containers)(/|$)"), Set.of(),
                Path.of("/"));
        Set<String> deviceTypes = procFs.deviceFilesystemTypes();
        Set<String> ours = new HashSet<>();
        for (Mount mount : procFs.mounts()) {
            if (defaults.reports(mount, deviceTypes)) {
                ours.add(mount.mountpoint());
            }
        }
        Set<String> expected = new HashSet<>();
        psutil.getJsonArray("disk_partitions").forEach(v -> expected.add(((jakarta.json.JsonString) v).getString()));
        expected.remove("/snap/core22/1380");
        expected.remove("/var/lib/docker");
        assertEquals(expected, ours);
        assertTrue(ours.contains("/srv/data files"), "octal escapes in /proc/mounts are decoded");
    }

    @Test
    void hostnameComesFromTheProcfsUtsNamespace() throws IOException {
        assertEquals("web-1", procFs.hostname());
    }

    @Test
    void fieldsAreWhatTrimAndSplitOnWhitespaceGive() {
        java.util.Random random = new java.util.Random(9);
        String alphabet = "ab1 \t\u000b\f\r\n:";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder line = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }

            assertEquals(List.of(line.toString().trim().split("\\s+")), List.of(ProcFs.fields(line.toString())),
                    line.toString());
        }
    }
}
