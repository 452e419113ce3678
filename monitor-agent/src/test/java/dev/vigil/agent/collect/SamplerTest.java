package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import dev.vigil.agent.TestSupport;
import dev.vigil.agent.collect.Snapshot.ProcessInfo;
import dev.vigil.agent.collect.Snapshot.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler assembles a snapshot from the captured procfs and survives parts that cannot be read. */
class SamplerTest {
    @TempDir
    Path proc;
    @TempDir
    Path sys;
    private final List<Snapshot> published = new CopyOnWriteArrayList<>();
    /** A day after the captured host booted (its btime): the sampler's fixed clock. */
    private Instant now;
    private Sampler sampler;

    @BeforeEach
    void sampler() throws IOException {
        TestSupport.copyFixture("host-a", proc);
        Files.copy(proc.resolve("stat.1"), proc.resolve("stat"));
        long bootTime = new ProcFs(proc).bootTime();
        now = Instant.ofEpochSecond(bootTime).plus(Duration.ofDays(1));
        Sampler.ProcessSource processes = memoryTotal -> new Processes(2, List.of(
                new ProcessInfo(1234, "java", "app", 3.1, 4.2, 1024, bootTime + 100.5)));
        Sampler.Settings settings = new Sampler.Settings("9.9.9", new ProcFs(proc), new SysFs(sys),
                new Filesystems(Set.of(), Set.of("squashfs"), Pattern.compile("^/nothing"), Set.of(), Path.of("/")),
                processes, Duration.ofHours(1), null, null, Duration.ZERO, null, null);
        sampler = new Sampler(settings, published::add, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSampleCarriesEveryPartOfTheHost() throws IOException {
        Snapshot s = sampler.sample();
        assertEquals("web-1", s.hostname());
        assertEquals("9.9.9", s.agentVersion());
        assertEquals(now, s.collectedAt());
        assertEquals(86_400, s.uptimeSeconds());
        assertEquals(2, s.cpu().countLogical());
        assertEquals(2, s.cpu().perCpuPercent().size());
        assertEquals(3, s.cpu().loadAvg().size());
        assertTrue(s.virtualMemory().total() > 0);
        assertTrue(s.netIoCounters().containsKey("eth0"));
        assertTrue(s.diskIoCounters().containsKey("vda"));
        assertEquals(2, s.processes().total());
        assertEquals(List.of(), s.services(), "no units are watched");
    }

    @Test
    void cpuPercentCoversTheTimeSinceThePreviousSample() throws IOException {
        CpuTimes first = new ProcFs(proc).cpuTimes().get(0);
        double sinceBoot = sampler.sample().cpu().percent();
        assertEquals(first.percentSince(CpuTimes.ZERO), sinceBoot, "the first sample averages since boot");

        Files.copy(proc.resolve("stat.2"), proc.resolve("stat"), StandardCopyOption.REPLACE_EXISTING);
        CpuTimes second = new ProcFs(proc).cpuTimes().get(0);
        assertEquals(second.percentSince(first), sampler.sample().cpu().percent());
    }

    @Test
    void aPartThatCannotBeReadIsLeftEmptyAndTheRestReported() throws IOException {
        Files.delete(proc.resolve("net/dev"));
        Files.delete(proc.resolve("loadavg"));
        Snapshot s = sampler.sample();
        assertEquals(Map.of(), s.netIoCounters());
        assertEquals(List.of(), s.cpu().loadAvg());
        assertTrue(s.virtualMemory().total() > 0);
        assertTrue(s.diskIoCounters().containsKey("vda"));
    }

    @Test
    void whenTheCoreFilesFailTheLastGoodSnapshotStaysPublished() throws IOException {
        sampler.start();
        try {
            assertEquals(1, published.size(), "start() publishes the first sample before it returns");
            Files.delete(proc.resolve("meminfo"));
            sampler.sampleAndPublish();
            assertEquals(1, published.size(), "a failed sample publishes nothing");
            Files.copy(proc.resolve("stat.1"), proc.resolve("meminfo"));
            assertThrows(IOException.class, sampler::sample, "garbage in meminfo is an error, not zeros");
            sampler.sampleAndPublish();
            assertEquals(1, published.size());
        } finally {
            sampler.close();
        }
    }
}
