package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import dev.vigil.agent.collect.ProcFs.ProcessStat;
import dev.vigil.agent.collect.ProcFs.ProcessStatus;
import dev.vigil.agent.collect.Snapshot.ProcessInfo;
import dev.vigil.agent.collect.Snapshot.Processes;

/**
 * The process table from procfs: the top N processes by CPU and the top N by memory. Every process costs one
 * read of /proc/PID/stat; only those shown cost a read of their status for name, user and RSS.
 *
 * <p>CPU percent is psutil's per-process {@code cpu_percent()}: CPU time used since the previous sample over
 * the wall time between them, so a busy multi-threaded process can exceed 100; a process first seen is given
 * its average since it started.
 */
public final class ProcessTable implements Sampler.ProcessSource {
    private static final Comparator<Seen> BY_RSS = Comparator.comparingLong(seen -> seen.stat().rssPages());
    private static final Comparator<Seen> BY_CPU =
            Comparator.<Seen>comparingDouble(Seen::cpuPercent).thenComparing(BY_RSS);

    private final ProcFs procFs;
    private final Path procfs;
    private final UserNames users;
    private final int top;
    private final LongSupplier nanoTime;
    private long bootTime = -1;
    private Map<Integer, ProcessStat> previous = Map.of();
    private long previousNanos;

    /** One process in one sample. */
    private record Seen(ProcessStat stat, double cpuPercent) {
    }

    ProcessTable(Path procfs, UserNames users, int top, LongSupplier nanoTime) {
        this.procFs = new ProcFs(procfs);
        this.procfs = procfs;
        this.users = users;
        this.top = top;
        this.nanoTime = nanoTime;
    }

    /** The processes of {@code procfs}, named after the users of /etc/passwd. */
    public static ProcessTable of(Path procfs, int top) {
        return new ProcessTable(procfs, new UserNames(Path.of("/etc/passwd")), top, System::nanoTime);
    }

    @Override
    public Processes sample(long memoryTotal) throws IOException {
        if (bootTime < 0) {
            bootTime = procFs.bootTime();
        }
        long now = nanoTime.getAsLong();
        double seconds = (now - previousNanos) / 1e9;
        double uptime = uptimeSeconds();
        List<Seen> all = new ArrayList<>();
        Map<Integer, ProcessStat> byPid = new HashMap<>();
        for (int pid : procFs.pids()) {
            Optional<ProcessStat> read = procFs.processStat(pid);
            if (read.isEmpty()) {
                continue;
            }
            ProcessStat stat = read.get();
            byPid.put(pid, stat);
            ProcessStat prior = previous.get(pid);
            boolean sameProcess = prior != null && prior.startTicks() == stat.startTicks() && seconds > 0;
            double cpuSeconds = (sameProcess ? stat.cpuTicks() - prior.cpuTicks() : stat.cpuTicks()) / ProcFs.CLK_TCK;
            double over = sameProcess ? seconds : uptime - stat.startTicks() / ProcFs.CLK_TCK;
            all.add(new Seen(stat, over > 0 ? 100.0 * cpuSeconds / over : 0.0));
        }
        previous = byPid;
        previousNanos = now;

        Set<Seen> chosen = new LinkedHashSet<>();
        all.sort(BY_CPU.reversed());
        chosen.addAll(all.subList(0, Math.min(top, all.size())));
        all.sort(BY_RSS.reversed());
        chosen.addAll(all.subList(0, Math.min(top, all.size())));

        List<ProcessInfo> result = new ArrayList<>(chosen.size());
        for (Seen seen : chosen) {
            ProcessStat stat = seen.stat();
            Optional<ProcessStatus> status = procFs.processStatus(stat.pid());
            if (status.isEmpty()) {
                continue; // exited since its stat was read
            }
            long rss = status.get().rssBytes();
            result.add(new ProcessInfo(stat.pid(), status.get().name(), users.name(status.get().uid()),
                    Percent.round1(seen.cpuPercent()), Percent.of(rss, memoryTotal), rss,
                    stat.createTime(bootTime)));
        }
        return new Processes(all.size(), result);
    }

    private double uptimeSeconds() throws IOException {
        String uptime = Files.readString(procfs.resolve("uptime")).strip();
        int space = uptime.indexOf(' ');
        try {
            return Double.parseDouble(space < 0 ? uptime : uptime.substring(0, space));
        } catch (NumberFormatException e) {
            throw new IOException(procfs.resolve("uptime") + " does not start with the seconds since boot");
        }
    }
}
