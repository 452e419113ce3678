package dev.vigil.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A unit's {@code ExecStart} run outside systemd the way systemd would run it: a clean environment of the unit's
 * {@code Environment=} and the test's environment file ({@code src/test/resources/units/<unit>.env}, {@code ${port}}
 * filled in) over it, the unit's state directory and working directory mapped into the run's directory, the
 * installed launcher mapped to the checkout's. Closing it kills whatever is left of it.
 */
final class ServiceRun implements AutoCloseable {
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    private final Unit unit;
    private final Process process;
    private final Path log;

    private ServiceRun(Unit unit, Process process, Path log) {
        this.unit = unit;
        this.process = process;
        this.log = log;
    }

    static ServiceRun start(Unit unit, Path runDirectory, int port, Map<String, String> extra) throws IOException {
        Path state = runDirectory.resolve("state");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", System.getenv("PATH"));
        environment.put("JAVA", JAVA);
        unit.environment().forEach((key, value) -> environment.put(key, mapped(unit, value, state)));
        environment.putAll(environmentFile(unit, port));
        environment.putAll(extra);
        Path workingDirectory = Path.of(mapped(unit, unit.required("WorkingDirectory"), state));
        Files.createDirectories(workingDirectory);
        Path log = runDirectory.resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(unit.checkoutLauncher().toString()).directory(
                workingDirectory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new ServiceRun(unit, builder.start(), log);
    }

    private static String mapped(Unit unit, String value, Path state) {
        return value.startsWith(unit.stateDirectory()) ? state + value.substring(unit.stateDirectory().length()) : value;
    }

    /** The test's stand-in for {@code EnvironmentFile=}: KEY=VALUE lines, {@code #} comments. */
    private static Map<String, String> environmentFile(Unit unit, int port) throws IOException {
        String resource = "/units/" + unit.name() + ".env";
        Map<String, String> environment = new LinkedHashMap<>();
        try (InputStream in = ServiceRun.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test environment file " + resource);
            }
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
                        int equals = line.indexOf('=');
                        environment.put(line.substring(0, equals),
                                line.substring(equals + 1).replace("${port}", Integer.toString(port)));
                    });
        }
        return environment;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) to the started process itself. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Sends SIGTERM, as {@code systemctl stop} does, and returns the exit code; fails when it takes over a minute. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(unit.name() + " did not exit within 60 s of SIGTERM\n" + output());
        }
        return process.exitValue();
    }

    /** Exit codes systemd counts as success for this unit: 0 and {@code SuccessExitStatus=}. */
    Set<Integer> cleanExits() {
        Set<Integer> clean = new HashSet<>(List.of(0));
        unit.value("SuccessExitStatus").ifPresent(codes -> {
            for (String code : codes.split("\\s+")) {
                clean.add(Integer.parseInt(code));
            }
        });
        return clean;
    }

    /** Waits for the process to exit by itself; its exit code, or empty when it still runs after {@code within}. */
    Integer awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    String output() {
        try {
            String all = Files.readString(log);
            return "--- " + log + " ---\n" + (all.length() > 6000 ? "…" + all.substring(all.length() - 6000) : all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        // a stopped process takes SIGKILL too; so does what it started (vigil-notify, curl, an embedded mariadbd)
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
