package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.vigil.agent.collect.Snapshot.ProcessInfo;
import dev.vigil.agent.collect.Snapshot.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessTableTest {
    private static final long BOOT_TIME = 1_000_000;
    private static final long MEMORY_TOTAL = 1L << 30;

    @TempDir
    Path proc;
    @TempDir
    Path etc;
    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(500));
    private ProcessTable table;

    @BeforeEach
    void procfs() throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4 5 6 7 0 0 0\nbtime " + BOOT_TIME + "\n");
        Files.writeString(proc.resolve("uptime"), "1000.00 1800.00\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1000:1000::/home/app:/bin/sh\n");
        table = new ProcessTable(proc, new UserNames(etc.resolve("passwd")), 1, nanos::get);
    }

    /** A process as the kernel shows it; ticks are utime and stime of 100 per second. */
    private void process(int pid, String comm, long utime, long stime, long startTicks, long rssPages,
                         long uid, long rssKiB) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") S 1 " + pid + " " + pid + " 0 -1 4194560 100 0"
                + " 0 0 " + utime + " " + stime + " 0 0 20 0 1 0 " + startTicks + " 123456 " + rssPages
                + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        Files.writeString(dir.resolve("status"), "Name:\t" + comm.replace("\n", "\\n") + "\nUmask:\t0022\nState:\tS\n"
                + "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"
                + (rssKiB >= 0 ? "VmRSS:\t" + rssKiB + " kB\n" : ""));
    }

    private static Map<Integer, ProcessInfo> byPid(Processes processes) {
        return processes.top().stream().collect(Collectors.toMap(ProcessInfo::pid, Function.identity()));
    }

    @Test
    void showsTheTopByCpuAndTheTopByMemoryWithNameUserRssAndCreateTime() throws IOException {
        process(10, "busy", 300, 100, 50_000, 10, 0, 40);           // started at 500 s: 4 s over 500 s
        process(11, "big (odd) name", 1, 0, 90_000, 5_000, 1000, 20_000);
        process(12, "quiet", 0, 0, 10_000, 1, 4242, 4);

        Processes processes = table.sample(MEMORY_TOTAL);

        assertEquals(3, processes.total());
        Map<Integer, ProcessInfo> top = byPid(processes);
        assertEquals(List.of(10, 11), processes.top().stream().map(ProcessInfo::pid).toList(),
                "the top one by CPU, then the top one by memory");
        ProcessInfo busy = top.get(10);
        assertEquals("busy", busy.name());
        assertEquals("root", busy.username());
        assertEquals(0.8, busy.cpuPercent(), "first seen: its average since it started, 4 s of CPU in 500 s");
        assertEquals(BOOT_TIME + 500.0, busy.createTime());
        ProcessInfo big = top.get(11);
        assertEquals("big (odd) name", big.name());
        assertEquals("app", big.username());
        assertEquals(20_000L * 1024, big.rss());
        assertEquals(1.9, big.memoryPercent());
    }

    @Test
    void cpuPercentIsTheTicksSinceThePreviousSampleOverTheWallTimeBetween() throws IOException {
        process(10, "worker", 100, 0, 50_000, 10, 0, 40);
        table.sample(MEMORY_TOTAL);

        process(10, "worker", 250, 50, 50_000, 10, 0, 40);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
        ProcessInfo worker = byPid(table.sample(MEMORY_TOTAL)).get(10);

        assertEquals(100.0, worker.cpuPercent(), "2 s of CPU in 2 s");
    }

    @Test
    void aReusedPidIsANewProcessNotADeltaAgainstTheOldOne() throws IOException {
        process(10, "old", 100_000, 0, 10_000, 10, 0, 40);
        table.sample(MEMORY_TOTAL);

        process(10, "new", 100, 0, 90_000, 10, 0, 40);           // started at 900 s: 1 s over 100 s
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
        ProcessInfo reused = byPid(table.sample(MEMORY_TOTAL)).get(10);

        assertEquals("new", reused.name());
        assertEquals(1.0, reused.cpuPercent());
    }

    @Test
    void aUidWithoutANameIsShownAsTheNumberAndAKernelThreadHasNoRss() throws IOException {
        process(2, "kthreadd", 0, 0, 1, 0, 4_294_967_294L, -1);

        ProcessInfo kernel = table.sample(MEMORY_TOTAL).top().get(0);

        assertEquals("4294967294", kernel.username());
        assertEquals(0, kernel.rss());
    }

    @Test
    void aProcessThatExitsBetweenTheListingAndItsReadIsLeftOut() throws IOException {
        process(10, "stays", 1, 0, 50_000, 10, 0, 40);
        Files.createDirectories(proc.resolve("11"));                 // its files are gone

        Processes processes = table.sample(MEMORY_TOTAL);

        assertEquals(1, processes.total());
    }

    @Test
    void aMalformedStatLineIsAClearErrorNotAWrongNumber() throws IOException {
        Path dir = Files.createDirectories(proc.resolve("10"));
        Files.writeString(dir.resolve("stat"), "10 (cut) S 1 2");

        IOException e = assertThrows(IOException.class, () -> table.sample(MEMORY_TOTAL));
        assertTrue(e.getMessage().contains("/proc/10/stat has 5 fields, fewer than 24"), e.getMessage());

        Files.writeString(dir.resolve("stat"), "10 no name here");
        e = assertThrows(IOException.class, () -> table.sample(MEMORY_TOTAL));
        assertTrue(e.getMessage().contains("/proc/10/stat has no (name)"), e.getMessage());
    }

    @Test
    void readsThisMachinesProcfsWithThisJvmInIt() throws IOException {
        ProcessTable real = ProcessTable.of(Path.of("/proc"), 100_000);
        real.sample(MEMORY_TOTAL);
        Processes processes = real.sample(MEMORY_TOTAL);

        ProcessInfo self = byPid(processes).get((int) ProcessHandle.current().pid());
        assertTrue(processes.total() > 1);
        assertEquals("java", self.name());
        assertEquals(System.getProperty("user.name"), self.username());
        assertTrue(self.rss() > 10L << 20, "a JVM holds more than 10 MiB: " + self.rss());
        double started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() / 1000.0;
        assertEquals(started, self.createTime(), 1.0);
    }
}
