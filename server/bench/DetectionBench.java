import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.vigil.agent.testing.StandInSystemd;
import jakarta.json.Json;

/**
 * How soon a dead service is being restarted, Vigil against Monit, side by side on loopback.
 *
 * <p>Vigil: the packaged server (embedded MariaDB, dry run off, the default rules) polls one packaged agent every
 * N seconds; the agent watches and may restart one unit per trial on the stand-in systemd of a private bus. Each
 * trial waits a random part of the poll interval, marks its unit failed (the stand-in emits PropertiesChanged, as
 * systemd does) and times until the stand-in receives the RestartUnit call: the server's restart_service dispatched
 * and carried out by the agent. Monit: {@link MonitTrials}, a process killed at a random moment of a Monit cycle of
 * M seconds, timed until it runs again.
 *
 * <p>Run by server/bench/detection.sh, which builds the jars and compiles this with {@link BenchFleet}.
 */
public class DetectionBench {
    private static final double TARGET_SECONDS = 1.0;

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int pollSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int monitCycle = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path run = Path.of(args.length > 3 ? args[3] : "server/target/detection-bench").toAbsolutePath();
        Files.createDirectories(run);
        BenchFleet.say("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; "
                + trials + " trials each; Vigil polling every " + pollSeconds + " s, Monit cycling every " + monitCycle
                + " s; logs in " + run);
        List<Double> vigil;
        try (BenchFleet fleet = new BenchFleet(run)) {
            vigil = vigil(fleet, trials, pollSeconds);
        }
        List<Double> monit;
        try (MonitTrials trialsOfMonit = MonitTrials.start(run.resolve("monit"), monitCycle)) {
            monit = trialsOfMonit.run(trials, monitCycle, BenchFleet::say);
        }
        System.exit(report(trials, pollSeconds, monitCycle, vigil, monit));
    }

    private static List<Double> vigil(BenchFleet fleet, int trials, int pollSeconds) throws Exception {
        StandInSystemd systemd = fleet.startSystemd();
        List<String> units = IntStream.rangeClosed(1, trials)
                .mapToObj(i -> String.format(Locale.ROOT, "detect-%02d.service", i)).toList();
        for (String unit : units) {
            systemd.setState(unit, "active", "running")
                    .onRestart(unit, StandInSystemd.Behaviour.comesUp(Duration.ofMillis(200)));
        }
        fleet.startServer(Map.of());
        int port = fleet.startAgent("agent", Map.of("VIGIL_AGENT_ALLOWED_SERVICES", String.join(",", units)));
        fleet.register(Json.createObjectBuilder()
                .add("name", "detect")
                .add("url", "http://127.0.0.1:" + port)
                .add("token", BenchFleet.READ)
                .add("action_token", BenchFleet.ACTION)
                .add("interval_seconds", pollSeconds)
                .add("policy", Json.createObjectBuilder().add("allowed_services", Json.createArrayBuilder(units)))
                .build());
        BenchFleet.say("waiting for the host to be up, then one more interval");
        fleet.awaitHostsUp(1);
        Thread.sleep(pollSeconds * 1000L);

        List<Double> seconds = new ArrayList<>();
        for (int trial = 0; trial < trials; trial++) {
            String unit = units.get(trial);
            // a random moment of the poll cycle: the time to a restart must not depend on it
            Thread.sleep(ThreadLocalRandom.current().nextLong(pollSeconds * 1000L));
            long failed = System.nanoTime();
            systemd.setState(unit, "failed", "failed");
            long deadline = failed + TimeUnit.SECONDS.toNanos(pollSeconds + 30L);
            while (systemd.restartCount(unit) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            if (systemd.restartCount(unit) == 0) {
                BenchFleet.say(String.format(Locale.ROOT, "vigil trial %d/%d: %s was not restarted within %d s",
                        trial + 1, trials, unit, pollSeconds + 30));
                continue;
            }
            seconds.add((System.nanoTime() - failed) / 1e9);
            BenchFleet.say(String.format(Locale.ROOT, "vigil trial %d/%d: %s restarted after %.3f s", trial + 1,
                    trials, unit, seconds.getLast()));
        }
        return seconds;
    }

    private static int report(int trials, int pollSeconds, int monitCycle, List<Double> vigil, List<Double> monit) {
        List<Double> v = vigil.stream().sorted().toList();
        List<Double> m = monit.stream().sorted().toList();
        System.out.println();
        System.out.println("| watcher | failure | trials restarted | p50 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| Vigil, polling every %d s + the agent's event stream | unit failed (signal)"
                + " → RestartUnit received | %d/%d | %s | %s | %s |%n", pollSeconds, v.size(), trials,
                BenchFleet.q(v, 0.5), BenchFleet.q(v, 0.99), BenchFleet.q(v, 1));
        System.out.printf(Locale.ROOT, "| Monit 5.33, cycle %d s | process killed → running again | %d/%d | %s | %s"
                + " | %s |%n", monitCycle, m.size(), trials, BenchFleet.q(m, 0.5), BenchFleet.q(m, 0.99),
                BenchFleet.q(m, 1));
        boolean met = v.size() == trials && BenchFleet.quantile(v, 0.99) <= TARGET_SECONDS;
        System.out.printf(Locale.ROOT, "%nVigil: signal → restart p99 %s against the target of %.0f s: %s%n",
                BenchFleet.q(v, 0.99), TARGET_SECONDS, met ? "met" : "NOT met");
        return met ? 0 : 1;
    }
}
