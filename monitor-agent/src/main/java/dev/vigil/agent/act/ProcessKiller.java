package dev.vigil.agent.act;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.vigil.agent.collect.ProcFs;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * {@code kill_process}: checks that the PID still is the process the server saw — same name, same start time
 * — and that the policy allows killing it, then signals it and waits for it to go; one that outlives the grace
 * period is sent {@code KILL}.
 *
 * <p>The name is the one {@code processes.top} reports: the {@code Name} of {@code /proc/PID/status} (the
 * kernel's 15-character {@code comm}). The start time is psutil's {@code create_time}: boot time plus the start
 * ticks of {@code /proc/PID/stat} over {@code CLK_TCK}. The request's start time may differ from the one read
 * here by up to {@link #START_TIME_TOLERANCE_SECONDS}: the boot time /proc/stat gives moves by a second as the
 * clock is adjusted, and a JSON double need not round-trip exactly; a reused PID differs by far more than that.
 */
final class ProcessKiller {
    static final double START_TIME_TOLERANCE_SECONDS = 1.0;
    private static final int PF_KTHREAD = 0x00200000;
    private static final int KTHREADD = 2;
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    private static final long POLL_MS = 50;

    private final Path procfs;
    private final ProcFs procFs;
    private final boolean allowKill;
    private final List<String> killableNames;
    private final Duration grace;
    private final long ownPid = ProcessHandle.current().pid();
    private final long parentPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    private POSIX posix;

    ProcessKiller(Path procfs, boolean allowKill, List<String> killableNames, Duration grace) {
        this.procfs = procfs;
        this.procFs = new ProcFs(procfs);
        this.allowKill = allowKill;
        this.killableNames = List.copyOf(killableNames);
        this.grace = grace;
    }

    /** What /proc says about one process. */
    private record ProcessStat(String name, char state, int parentPid, long flags, double createTime) {
    }

    /** The process a request names, checked to be the one the server meant. */
    private record Target(int pid, String name, double createTime) {
        @Override
        public String toString() {
            return name + " (pid " + pid + ")";
        }
    }

    Decision decide(ActionRequest request) {
        int pid = request.pid().orElseThrow();
        String name = request.target();
        if (!allowKill) {
            return refused("killing processes is not allowed on this agent: VIGIL_AGENT_ALLOW_KILL is false");
        }
        if (!killableNames.isEmpty() && !killableNames.contains(name)) {
            return refused(name + " is not in VIGIL_AGENT_KILLABLE_PROCESSES (" + String.join(", ", killableNames) + ")");
        }
        if (pid == 1) {
            return refused("PID 1 (init) is never killed");
        }
        if (pid == ownPid) {
            return refused("PID " + pid + " is this agent");
        }
        if (pid == parentPid) {
            return refused("PID " + pid + " is this agent's parent");
        }
        Optional<ProcessStat> stat;
        try {
            stat = read(pid);
        } catch (IOException e) {
            return refused("cannot read " + procfs.resolve(String.valueOf(pid)) + ": " + e.getMessage());
        }
        if (stat.isEmpty()) {
            return refused("no process with PID " + pid + " (it has exited)");
        }
        ProcessStat process = stat.get();
        if (pid == KTHREADD || process.parentPid() == KTHREADD || (process.flags() & PF_KTHREAD) != 0) {
            return refused("PID " + pid + " is a kernel thread (" + process.name() + ")");
        }
        if (!process.name().equals(name)) {
            return refused("PID " + pid + " is " + process.name() + ", not " + name
                    + ": the process has exited and its PID was reused");
        }
        double requested = request.createTime().orElseThrow();
        if (Math.abs(process.createTime() - requested) > START_TIME_TOLERANCE_SECONDS) {
            return refused(String.format(Locale.ROOT, "PID %d (%s) started at %.2f, not at %.2f as requested:"
                    + " the process has exited and its PID was reused", pid, name, process.createTime(), requested));
        }
        Target target = new Target(pid, name, process.createTime());
        return new Decision.Allowed("send " + request.signal() + " to " + target, () -> {
            try {
                return kill(target, request.signal());
            } catch (IOException e) {
                return Outcome.failed("cannot follow " + target + " in " + procfs + ": " + e.getMessage());
            }
        });
    }

    private static Decision refused(String reason) {
        return new Decision.Refused(reason);
    }

    private Outcome kill(Target target, String signal) throws IOException {
        Optional<Outcome> failure = signal(target, signal);
        if (failure.isPresent()) {
            return failure.get();
        }
        long sent = System.nanoTime();
        if (signal.equals("KILL")) {
            return awaitExit(target, AFTER_KILL)
                    ? Outcome.succeeded(target + " exited " + Outcome.seconds(since(sent)) + " after KILL")
                    : Outcome.failed(target + " still alive " + Outcome.seconds(AFTER_KILL) + " after KILL");
        }
        if (awaitExit(target, grace)) {
            return Outcome.succeeded(target + " exited " + Outcome.seconds(since(sent)) + " after " + signal);
        }
        String late = target + " did not exit within " + Outcome.seconds(grace) + " of " + signal;
        failure = signal(target, "KILL");
        if (failure.isPresent()) {
            return failure.get();
        }
        return awaitExit(target, AFTER_KILL)
                ? Outcome.succeeded(late + "; killed with KILL")
                : Outcome.failed(late + " and is still alive " + Outcome.seconds(AFTER_KILL) + " after KILL");
    }

    /** Sends the signal; empty when it was delivered (or the process is already gone). */
    private Optional<Outcome> signal(Target target, String signal) throws IOException {
        if (!isAlive(target)) {
            return Optional.empty();
        }
        POSIX libc = posix();
        if (libc.kill(target.pid(), Signal.valueOf("SIG" + signal).intValue()) == 0) {
            return Optional.empty();
        }
        int errorNumber = libc.errno();
        Errno errno = Errno.valueOf(errorNumber);
        if (errno == Errno.ESRCH) {
            return Optional.empty();
        }
        if (errno == Errno.EPERM) {
            return Optional.of(Outcome.failed("sending " + signal + " to " + target
                    + " is not permitted: the agent needs CAP_KILL to signal processes of other users"));
        }
        return Optional.of(Outcome.failed("sending " + signal + " to " + target + " failed: "
                + (errno == null ? "errno " + errorNumber : errno.description())));
    }

    /** jnr-posix binds libc on first use; agents that never kill never load it. */
    private synchronized POSIX posix() {
        if (posix == null) {
            posix = POSIXFactory.getNativePOSIX();
        }
        return posix;
    }

    private boolean awaitExit(Target target, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (isAlive(target)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(target);
            }
        }
        return true;
    }

    /** A zombie has exited, and a PID with another start time is another process. */
    private boolean isAlive(Target target) throws IOException {
        return read(target.pid())
                .filter(p -> p.state() != 'Z' && p.state() != 'X')
                .filter(p -> Math.abs(p.createTime() - target.createTime()) <= START_TIME_TOLERANCE_SECONDS)
                .isPresent();
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    /** Empty when there is no such process. */
    private Optional<ProcessStat> read(int pid) throws IOException {
        Optional<ProcFs.ProcessStat> stat = procFs.processStat(pid);
        Optional<ProcFs.ProcessStatus> status = procFs.processStatus(pid);
        if (stat.isEmpty() || status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessStat(status.get().name(), stat.get().state(), stat.get().parentPid(),
                stat.get().flags(), stat.get().createTime(procFs.bootTime())));
    }
}
