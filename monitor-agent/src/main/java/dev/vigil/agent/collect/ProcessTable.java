package dev.vigil.agent.collect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vigil.agent.collect.Snapshot.ProcessInfo;
import dev.vigil.agent.collect.Snapshot.Processes;
import oshi.nativefree.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;
import oshi.util.GlobalConfig;

/**
 * The process table through OSHI: the top N processes by CPU and the top N by memory. CPU percent is psutil's
 * per-process {@code cpu_percent()}: CPU time used since the previous sample over the wall time between them,
 * so a busy multi-threaded process can exceed 100.
 */
public final class ProcessTable implements Sampler.ProcessSource {
    private static final Comparator<OSProcess> BY_RSS = Comparator.comparingLong(OSProcess::getResidentMemory);

    private final OperatingSystem os;
    private final int top;
    private Map<Integer, OSProcess> previous = Map.of();

    ProcessTable(OperatingSystem os, int top) {
        this.os = os;
        this.top = top;
    }

    /**
     * OSHI's native-free Linux implementation (no JNA: procfs and sysfs only), pointed at the configured roots.
     * OSHI reads those paths once, so this must run before anything else touches OSHI.
     */
    public static ProcessTable fromOshi(Path procfs, Path sysfs, int top) {
        GlobalConfig.set(GlobalConfig.OSHI_UTIL_PROC_PATH, procfs.toString());
        GlobalConfig.set(GlobalConfig.OSHI_UTIL_SYS_PATH, sysfs.toString());
        return new ProcessTable(new SystemInfo().getOperatingSystem(), top);
    }

    @Override
    public Processes sample(long memoryTotal) {
        List<OSProcess> all = os.getProcesses();
        Map<Integer, OSProcess> byPid = new HashMap<>(all.size() * 2);
        Map<OSProcess, Double> cpu = new HashMap<>(all.size() * 2);
        for (OSProcess process : all) {
            byPid.put(process.getProcessID(), process);
            OSProcess prior = previous.get(process.getProcessID());
            boolean sameProcess = prior != null && prior.getStartTime() == process.getStartTime();
            cpu.put(process, 100.0 * process.getProcessCpuLoadBetweenTicks(sameProcess ? prior : null));
        }
        previous = byPid;

        Comparator<OSProcess> byCpu = Comparator.comparingDouble(cpu::get);
        Set<OSProcess> chosen = new LinkedHashSet<>();
        all.stream().sorted(byCpu.reversed().thenComparing(BY_RSS.reversed())).limit(top).forEach(chosen::add);
        all.stream().sorted(BY_RSS.reversed()).limit(top).forEach(chosen::add);

        List<ProcessInfo> result = new ArrayList<>(chosen.size());
        for (OSProcess p : chosen) {
            result.add(new ProcessInfo(p.getProcessID(), p.getName(), p.getUser(), Percent.round1(cpu.get(p)),
                    Percent.of(p.getResidentMemory(), memoryTotal), p.getResidentMemory(),
                    p.getStartTime() / 1000.0));
        }
        return new Processes(all.size(), result);
    }
}
