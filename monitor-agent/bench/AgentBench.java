import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Vigil agent and Prometheus' node_exporter side by side on loopback and measures, for each:
 * request latency p50/p99 over N requests, CPU seconds per 1,000 requests, and RSS after a soak at 1 request/s.
 *
 * Single-file program: java AgentBench.java LAUNCHER NODE_EXPORTER [requests] [soakSeconds]
 * (monitor-agent/bench/run.sh builds the agent and passes the paths), or
 * java AgentBench.java --startup LAUNCHER [runs]: time from process start to the first ready answer.
 */
public class AgentBench {
    private static final long CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    record Target(String name, Process process, HttpRequest request) {
        long pid() {
            return process.pid();
        }
    }

    record Latency(double p50, double p99, double max, double cpuSecondsPer1000) {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--startup")) {
            startup(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 10);
            return;
        }
        Path launcher = Path.of(args[0]);
        Path nodeExporter = Path.of(args[1]);
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int soakSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 600;

        int agentPort = freePort();
        int exporterPort = freePort();
        ProcessBuilder agentProcess = agent(launcher, agentPort);
        ProcessBuilder exporterProcess = new ProcessBuilder(nodeExporter.toString(),
                "--web.listen-address=127.0.0.1:" + exporterPort)
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("node-exporter", ".log").toFile());

        List<Target> targets = new ArrayList<>();
        try {
            Process agent = agentProcess.start();
            Process exporter = exporterProcess.start();
            targets.add(new Target("vigil-agent /api/v1/metrics", agent, request(agentPort, "/api/v1/metrics")));
            targets.add(new Target("vigil-agent /metrics", agent, request(agentPort, "/metrics")));
            targets.add(new Target("node_exporter /metrics", exporter, HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + exporterPort + "/metrics")).build()));
            for (Target target : targets) {
                waitUntilServing(target);
            }
            System.out.printf("agent pid %d on :%d, node_exporter pid %d on :%d, %s%n", agent.pid(), agentPort,
                    exporter.pid(), exporterPort, Instant.now());

            System.out.println("\n| target | p50 ms | p99 ms | max ms | CPU s / 1,000 requests | body bytes |");
            System.out.println("|---|---|---|---|---|---|");
            for (Target target : targets) {
                measure(target, 100); // warm-up: connection, JIT, page cache
                Latency latency = measure(target, requests);
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.3f | %d |%n", target.name(),
                        latency.p50(), latency.p99(), latency.max(), latency.cpuSecondsPer1000(),
                        HTTP.send(target.request(), HttpResponse.BodyHandlers.ofByteArray()).body().length);
            }

            System.out.printf("%nSoak: %d s at 1 request/s to each target ...%n", soakSeconds);
            soak(targets, soakSeconds);
            System.out.println("\n| process | RSS after soak (MiB) | of which anonymous (MiB) | threads |");
            System.out.println("|---|---|---|---|");
            for (Target target : List.of(targets.get(0), targets.get(2))) {
                Map<String, String> status = status(target.pid());
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", target.name().split(" ")[0],
                        kib(status.get("VmRSS")) / 1024.0, kib(status.get("RssAnon")) / 1024.0, status.get("Threads"));
            }
        } finally {
            for (Target target : targets) {
                target.process().destroy();
            }
        }
    }

    private static ProcessBuilder agent(Path launcher, int port) throws IOException {
        ProcessBuilder agent = new ProcessBuilder(launcher.toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("vigil-agent", ".log").toFile());
        agent.environment().putAll(Map.of("VIGIL_AGENT_TOKEN", "bench", "VIGIL_AGENT_HOST", "127.0.0.1",
                "VIGIL_AGENT_PORT", Integer.toString(port)));
        return agent;
    }

    private static void startup(Path launcher, int runs) throws Exception {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            int port = freePort();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build();
            long start = System.nanoTime();
            Process process = agent(launcher, port).start();
            try {
                waitUntilServing(new Target("agent", process, ready));
                millis[i] = (System.nanoTime() - start) / 1e6;
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "start to ready over %d runs: min %.0f ms, median %.0f ms, max %.0f ms%n",
                runs, millis[0], percentile(millis, 50), millis[runs - 1]);
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer bench").build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitUntilServing(Target target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(target.request(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(target.name() + " did not answer 200 within 30 s");
    }

    private static Latency measure(Target target, int count) throws Exception {
        double[] millis = new double[count];
        long cpuBefore = cpuTicks(target.pid());
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = HTTP.send(target.request(), HttpResponse.BodyHandlers.ofByteArray());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target.name() + " answered " + response.statusCode());
            }
        }
        double cpuSeconds = (cpuTicks(target.pid()) - cpuBefore) / (double) CLOCK_TICKS;
        Arrays.sort(millis);
        return new Latency(percentile(millis, 50), percentile(millis, 99), millis[count - 1],
                cpuSeconds * 1000.0 / count);
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void soak(List<Target> targets, int seconds) throws InterruptedException {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long[] done = {0};
        ticker.scheduleAtFixedRate(() -> {
            for (Target target : List.of(targets.get(0), targets.get(2))) {
                try {
                    HTTP.send(target.request(), HttpResponse.BodyHandlers.discarding());
                } catch (IOException | InterruptedException e) {
                    System.err.println(target.name() + ": " + e);
                }
            }
            if (++done[0] % 60 == 0) {
                System.out.printf("  %d s%n", done[0]);
            }
        }, 0, 1, TimeUnit.SECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
    }

    private static Map<String, String> status(long pid) throws IOException {
        Map<String, String> result = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int colon = line.indexOf(':');
            result.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return result;
    }

    private static long kib(String value) {
        return Long.parseLong(value.split("\\s+")[0]);
    }
}
