import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The peer of the detection bench: Debian's Monit with a daemon cycle of N seconds watching one process by its
 * pid file and starting it again when it is gone. Each trial kills the process with SIGKILL at a random moment of
 * Monit's cycle and times how long until the new process is running (its pid file names a live process).
 * Monit runs in the foreground on a control file of its own, so a Monit of the machine is not touched, under a
 * small python3 subreaper: Monit's start program leaves the process to be adopted, and the adopter must reap a
 * killed one at once, as systemd would — a lingering zombie would cost Monit a whole extra cycle.
 */
final class MonitTrials implements AutoCloseable {
    private static final String SUBREAPER = String.join("\n",
            "import ctypes, os, signal, subprocess, sys",
            "ctypes.CDLL(None).prctl(36, 1)",  // PR_SET_CHILD_SUBREAPER
            "monit = subprocess.Popen(sys.argv[1:])",
            "signal.signal(signal.SIGTERM, lambda *_: monit.terminate())",
            "while os.wait()[0] != monit.pid:",
            "    pass",
            "");

    private final Path dir;
    private final Path pidFile;
    private final Process monit;

    private MonitTrials(Path dir, Process monit) {
        this.dir = dir;
        this.pidFile = dir.resolve("watched.pid");
        this.monit = monit;
    }

    /** Starts Monit on a control file in {@code dir}; returns once it has started the watched process. */
    static MonitTrials start(Path dir, int cycleSeconds) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path pidFile = dir.resolve("watched.pid");
        Path control = dir.resolve("monitrc");
        // Monit refuses a control file that others may read.
        Files.writeString(control, String.join("\n",
                "set daemon " + cycleSeconds,
                "set logfile " + dir.resolve("monit.log"),
                "set pidfile " + dir.resolve("monit.pid"),
                "set idfile " + dir.resolve("monit.id"),
                "set statefile " + dir.resolve("monit.state"),
                "check process watched with pidfile " + pidFile,
                "  start program = \"/bin/sh -c 'sleep 100000 </dev/null >/dev/null 2>&1 & echo $! > " + pidFile + "'\"",
                "  stop program = \"/bin/sh -c 'kill $(cat " + pidFile + ")'\"",
                ""));
        Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rw-------"));
        Process monit = new ProcessBuilder("python3", "-c", SUBREAPER, "monit", "-I", "-c", control.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("monit.out").toFile()).start();
        MonitTrials trials = new MonitTrials(dir, monit);
        if (trials.awaitLivePid(-1, TimeUnit.SECONDS.toNanos(cycleSeconds * 3L + 10)).isEmpty()) {
            trials.close();
            throw new IllegalStateException("Monit did not start the watched process; see " + dir);
        }
        return trials;
    }

    /**
     * Kills the watched process {@code count} times; the seconds from each kill to a new live process. A trial
     * in which Monit does not restart it within three cycles is a miss, said in {@code progress}, and not in the
     * list; the trials stop when the process stays gone three cycles more.
     */
    List<Double> run(int count, int cycleSeconds, Consumer<String> progress) throws InterruptedException {
        List<Double> seconds = new ArrayList<>();
        long patience = TimeUnit.SECONDS.toNanos(cycleSeconds * 3L + 10);
        for (int trial = 1; trial <= count; trial++) {
            // a random phase of Monit's cycle, as a real failure would have
            Thread.sleep(ThreadLocalRandom.current().nextLong(cycleSeconds * 1000L));
            Optional<Long> pid = livePid();
            if (pid.isEmpty()) {
                pid = awaitLivePid(-1, patience);
                if (pid.isEmpty()) {
                    progress.accept("monit: the watched process stays gone; trials stop at " + (trial - 1));
                    break;
                }
            }
            ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
            long killed = System.nanoTime();
            if (awaitLivePid(pid.get(), patience).isEmpty()) {
                progress.accept(String.format("monit trial %d/%d: NOT restarted within %d s (see %s)", trial, count,
                        cycleSeconds * 3 + 10, dir.resolve("monit.log")));
                continue;
            }
            seconds.add((System.nanoTime() - killed) / 1e9);
            progress.accept(String.format("monit trial %d/%d: restarted after %.2f s", trial, count,
                    seconds.getLast()));
        }
        return seconds;
    }

    private Optional<Long> awaitLivePid(long previous, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            Optional<Long> pid = livePid().filter(p -> p != previous);
            if (pid.isPresent()) {
                return pid;
            }
            Thread.sleep(5);
        }
        return Optional.empty();
    }

    private Optional<Long> livePid() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        monit.destroy();
        livePid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy);
        try {
            monit.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monit.destroyForcibly();
    }
}
