import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.testing.StandInSystemd;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Detection to remediation, end to end on loopback: real agents (the packaged jar) on a private dbus-daemon with
 * a stand-in systemd, polled by the packaged server (embedded MariaDB, dry run off). Failures are injected one
 * every few seconds, in turn a failed unit, a failing health probe and a runaway process (a real python3 child
 * holding memory), each on a target of its own. For each one the bench notes when the server received the first
 * sample showing it (GET /api/v1/hosts/{id}/latest, watched every 100 ms) and when the action that fixed it
 * finished (the action's finished_at), and prints p50/p99 per kind.
 *
 * <p>Run by server/bench/remediation.sh, which builds the jars and sets the class path.
 */
public class RemediationBench {
    private static final int HOG_MIB = 256;

    enum Kind { UNIT, PROBE, RUNAWAY }

    /** One injected failure and what became of it. */
    static final class Failure {
        final int number;
        final Kind kind;
        final int agent;
        final String name;
        volatile Instant injected;
        volatile Instant firstBadSample;
        volatile Instant fixed;
        volatile String outcome = "";
        Process hog;

        Failure(int number, Kind kind, int agent) {
            this.number = number;
            this.kind = kind;
            this.agent = agent;
            this.name = switch (kind) {
                case UNIT -> String.format("bench-unit-%02d.service", number);
                case PROBE -> String.format("bench-probe-%02d", number);
                case RUNAWAY -> String.format("hog%02d", number);
            };
        }

        /**
         * When the server first knew of it: the first stored sample showing it, or — when the agent's event stream
         * had it fixed before any poll showed it — the injection itself.
         */
        Instant detected() {
            return firstBadSample != null ? firstBadSample : injected;
        }

        /** The action's target: the unit restarted or the process killed. */
        String target() {
            return kind == Kind.PROBE ? name + ".service" : name;
        }
    }

    private final Path run;
    private final int count;
    private final int intervalSeconds;
    private final int agents;
    private final Duration spacing;
    private final List<Failure> failures = new ArrayList<>();
    private final Map<String, Integer> brokenUntilRestart = new ConcurrentHashMap<>();
    private final BenchFleet fleet;
    private StandInSystemd systemd;
    private final List<Long> hostIds = new ArrayList<>();

    RemediationBench(Path run, int count, int intervalSeconds, int agents, Duration spacing) {
        this.run = run;
        this.fleet = new BenchFleet(run);
        this.count = count;
        this.intervalSeconds = intervalSeconds;
        this.agents = agents;
        this.spacing = spacing;
        for (int i = 0; i < count; i++) {
            failures.add(new Failure(i + 1, Kind.values()[i % 3], i % agents));
        }
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int agents = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path run = Path.of(args.length > 3 ? args[3] : "server/target/remediation-bench").toAbsolutePath();
        Files.createDirectories(run);
        RemediationBench bench = new RemediationBench(run, count, interval, agents, Duration.ofSeconds(3));
        int exit;
        try (BenchFleet fleet = bench.fleet) {
            exit = bench.runAll();
        }
        System.exit(exit);
    }

    int runAll() throws Exception {
        BenchFleet.say("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; " + count
                + " failures on " + agents + " agents, poll interval " + intervalSeconds + " s; logs in " + run);
        systemd = fleet.startSystemd();
        HttpServer probes = probeEndpoints();
        fleet.startServer(Map.of());
        for (int agent = 0; agent < agents; agent++) {
            int port = startAgent(agent, probes.getAddress().getPort());
            hostIds.add(register(agent, port));
        }
        BenchFleet.say("waiting for every host to be up, then one more interval");
        fleet.awaitHostsUp(agents);
        Thread.sleep(intervalSeconds * 1000L);

        Thread watcher = Thread.ofPlatform().daemon().start(this::watchSamples);
        Instant start = Instant.now();
        for (Failure failure : failures) {
            inject(failure);
            Thread.sleep(spacing.toMillis());
        }
        Instant deadline = Instant.now().plusSeconds(3L * intervalSeconds + 30);
        while (Instant.now().isBefore(deadline) && failures.stream().anyMatch(f -> f.fixed == null)) {
            collectOutcomes();
            Thread.sleep(500);
        }
        collectOutcomes();
        watcher.interrupt();
        BenchFleet.say("injected " + count + " failures in " + Duration.between(start, Instant.now()).toSeconds() + " s");
        return report();
    }

    /** /probe/NAME answers 503 from its injection until its unit has been restarted, else 200. */
    private HttpServer probeEndpoints() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/probe/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/probe/".length());
            Integer needed = brokenUntilRestart.get(name);
            boolean healthy = needed == null || systemd.restartCount(name + ".service") >= needed;
            exchange.sendResponseHeaders(healthy ? 200 : 503, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private int startAgent(int agent, int probePort) throws Exception {
        List<Failure> mine = failures.stream().filter(f -> f.agent == agent).toList();
        String units = mine.stream().filter(f -> f.kind != Kind.RUNAWAY).map(Failure::target)
                .collect(Collectors.joining(","));
        for (Failure failure : mine) {
            if (failure.kind != Kind.RUNAWAY) {
                systemd.setState(failure.target(), "active", "running")
                        .onRestart(failure.target(), StandInSystemd.Behaviour.comesUp(Duration.ofMillis(200)));
            }
        }
        return fleet.startAgent("agent-" + agent, Map.of(
                "VIGIL_AGENT_ALLOWED_SERVICES", units,
                "VIGIL_AGENT_ALLOW_KILL", "true",
                "VIGIL_AGENT_KILLABLE_PROCESSES", mine.stream().filter(f -> f.kind == Kind.RUNAWAY)
                        .map(f -> f.name).collect(Collectors.joining(",")),
                "VIGIL_AGENT_TOP_PROCESSES", "20",
                "VIGIL_AGENT_PROBES", mine.stream().filter(f -> f.kind == Kind.PROBE)
                        .map(f -> f.name + "=http://127.0.0.1:" + probePort + "/probe/" + f.name)
                        .collect(Collectors.joining(","))));
    }

    private long register(int agent, int port) throws Exception {
        List<Failure> mine = failures.stream().filter(f -> f.agent == agent).toList();
        double memoryShare = HOG_MIB * 1024.0 * 1024.0 / totalMemoryBytes() * 100;
        return fleet.register(Json.createObjectBuilder()
                .add("name", "bench-" + agent)
                .add("url", "http://127.0.0.1:" + port)
                .add("token", BenchFleet.READ)
                .add("action_token", BenchFleet.ACTION)
                .add("interval_seconds", intervalSeconds)
                // every reading counts as memory running out, so a hog of the host's killable names is a runaway
                .add("labels", Json.createObjectBuilder()
                        .add("memory_kill_available_percent", "101")
                        .add("runaway_memory_percent", String.format(Locale.ROOT, "%.2f", memoryShare / 2)))
                .add("policy", Json.createObjectBuilder()
                        .add("allowed_services", Json.createArrayBuilder(mine.stream()
                                .filter(f -> f.kind != Kind.RUNAWAY).map(Failure::target).toList()))
                        .add("killable_processes", Json.createArrayBuilder(mine.stream()
                                .filter(f -> f.kind == Kind.RUNAWAY).map(f -> f.name).toList())))
                .build());
    }

    private void inject(Failure failure) throws IOException {
        failure.injected = Instant.now();
        switch (failure.kind) {
            case UNIT -> systemd.setState(failure.name, "failed", "failed");
            case PROBE -> brokenUntilRestart.put(failure.name, systemd.restartCount(failure.target()) + 1);
            case RUNAWAY -> {
                // names itself (comm), then holds touched memory
                failure.hog = new ProcessBuilder("python3", "-c", "import ctypes, time\n"
                        + "ctypes.CDLL(None).prctl(15, b'" + failure.name + "', 0, 0, 0)\n"
                        + "hold = b'\\x01' * (" + HOG_MIB + " << 20)\n"
                        + "time.sleep(600)\n").redirectErrorStream(true).start();
                fleet.keep(failure.hog);
            }
        }
    }

    /** Notes, for each failure, when the server received the first sample that shows it. */
    private void watchSamples() {
        Map<Long, String> lastSeen = new ConcurrentHashMap<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (int agent = 0; agent < agents; agent++) {
                    JsonObject latest = fleet.get("/api/v1/hosts/" + hostIds.get(agent) + "/latest").asJsonObject();
                    if (latest.isNull("snapshot") || latest.getString("received_at").equals(lastSeen.get((long) agent))) {
                        continue;
                    }
                    lastSeen.put((long) agent, latest.getString("received_at"));
                    Instant received = Instant.parse(latest.getString("received_at"));
                    JsonObject snapshot = latest.getJsonObject("snapshot");
                    for (Failure failure : failures) {
                        if (failure.agent == agent && failure.injected != null && failure.firstBadSample == null
                                && shows(snapshot, failure)) {
                            failure.firstBadSample = received;
                        }
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                BenchFleet.say("watching samples: " + e);
            }
        }
    }

    private static boolean shows(JsonObject snapshot, Failure failure) {
        return switch (failure.kind) {
            case UNIT -> snapshot.getJsonArray("services").getValuesAs(JsonObject.class).stream()
                    .anyMatch(s -> s.getString("unit").equals(failure.name)
                            && s.getString("active_state").equals("failed"));
            case PROBE -> snapshot.getJsonArray("probes").getValuesAs(JsonObject.class).stream()
                    .anyMatch(p -> p.getString("name").equals(failure.name) && !p.getBoolean("ok"));
            case RUNAWAY -> snapshot.getJsonObject("processes").getJsonArray("top").getValuesAs(JsonObject.class)
                    .stream().anyMatch(p -> p.getString("name").equals(failure.name));
        };
    }

    private void collectOutcomes() throws Exception {
        for (JsonObject action : fleet.get("/api/v1/actions?limit=1000").asJsonArray().getValuesAs(JsonObject.class)) {
            for (Failure failure : failures) {
                if (failure.fixed == null && failure.injected != null
                        && action.getString("target").equals(failure.target()) && !action.isNull("finished_at")) {
                    failure.fixed = Instant.parse(action.getString("finished_at"));
                    failure.outcome = action.getString("status") + ": " + action.getString("detail");
                }
            }
        }
    }

    private int report() {
        System.out.println();
        System.out.println("| failure | n | first bad sample → fixed p50 | p99 | max | injected → fixed p50 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<Double> allDetected = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<Failure> done = failures.stream().filter(f -> f.kind == kind && f.fixed != null
                    && f.outcome.startsWith("succeeded")).toList();
            List<Double> detected = done.stream().map(f -> seconds(f.detected(), f.fixed)).sorted().toList();
            List<Double> injected = done.stream().map(f -> seconds(f.injected, f.fixed)).sorted().toList();
            allDetected.addAll(detected);
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", kind.name().toLowerCase(
                    Locale.ROOT), done.size(), BenchFleet.q(detected, 0.5), BenchFleet.q(detected, 0.99), BenchFleet.q(detected, 1), BenchFleet.q(injected, 0.5),
                    BenchFleet.q(injected, 0.99), BenchFleet.q(injected, 1));
        }
        allDetected = allDetected.stream().sorted().toList();
        List<Double> allInjected = failures.stream().filter(f -> f.fixed != null && f.outcome.startsWith("succeeded"))
                .map(f -> seconds(f.injected, f.fixed)).sorted().toList();
        System.out.printf(Locale.ROOT, "| all | %d | %s | %s | %s | %s | %s | %s |%n", allDetected.size(),
                BenchFleet.q(allDetected, 0.5), BenchFleet.q(allDetected, 0.99), BenchFleet.q(allDetected, 1), BenchFleet.q(allInjected, 0.5),
                BenchFleet.q(allInjected, 0.99), BenchFleet.q(allInjected, 1));
        List<Failure> unfixed = failures.stream()
                .filter(f -> f.fixed == null || !f.outcome.startsWith("succeeded")).toList();
        for (Failure failure : unfixed) {
            System.out.println("NOT FIXED: " + failure.kind + " " + failure.name + " on bench-" + failure.agent
                    + " (first bad sample " + failure.firstBadSample + "; " + failure.outcome + ")");
        }
        double target = intervalSeconds + 2;
        double p99 = allDetected.isEmpty() ? Double.MAX_VALUE : BenchFleet.quantile(allDetected, 0.99);
        System.out.printf(Locale.ROOT, "%nfirst bad sample → fixed, p99 %.2f s against the target of one poll interval"
                + " + 2 s = %.0f s: %s%n", p99, target, p99 <= target && unfixed.isEmpty() ? "met" : "NOT met");
        return p99 <= target && unfixed.isEmpty() ? 0 : 1;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static long totalMemoryBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    }
}
