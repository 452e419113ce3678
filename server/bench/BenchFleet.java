import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.testing.StandInSystemd;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * What the end-to-end benches share: a private dbus-daemon with the stand-in systemd of the agent's tests, the
 * packaged server (embedded MariaDB, dry run off) with an admin API token, and packaged agents on free loopback
 * ports registered as hosts. Everything it starts is stopped by {@link #close}, in reverse order.
 */
final class BenchFleet implements AutoCloseable {
    static final String READ = "bench-read-token";
    static final String ACTION = "bench-action-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path run;
    private final List<Process> processes = new ArrayList<>();
    private final String adminPassword = UUID.randomUUID().toString();
    private DbusDaemon bus;
    private StandInSystemd systemd;
    private int serverPort;
    private String apiToken;

    BenchFleet(Path run) {
        this.run = run;
    }

    /** The private bus and the stand-in systemd on it. */
    StandInSystemd startSystemd() throws Exception {
        bus = DbusDaemon.launch("dbus-daemon", run);
        systemd = StandInSystemd.export(bus.address());
        return systemd;
    }

    String busAddress() {
        return bus.address();
    }

    /** The packaged server on a free port; returns once it answers, with the bench's API token issued. */
    void startServer(Map<String, String> settings) throws Exception {
        Path log = run.resolve("server.log");
        ProcessBuilder server = new ProcessBuilder("server/packaging/vigil-server");
        server.environment().keySet().removeIf(key -> key.startsWith("VIGIL_"));
        server.environment().putAll(Map.of("VIGIL_DATA_DIR", run.resolve("data").toString(),
                "VIGIL_RULES_DIR", run.resolve("data/rules").toString(), "VIGIL_SERVER_HOST", "127.0.0.1",
                "VIGIL_SERVER_PORT", "0", "VIGIL_DRY_RUN", "false", "VIGIL_ADMIN_USER", "bench",
                "VIGIL_ADMIN_PASSWORD", adminPassword, "JAVA", java()));
        server.environment().putAll(settings);
        processes.add(server.redirectErrorStream(true).redirectOutput(log.toFile()).start());
        Pattern listening = Pattern.compile("Vigil server on http://127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            Matcher port = listening.matcher(Files.readString(log));
            if (port.find()) {
                say("server on :" + port.group(1));
                serverPort = Integer.parseInt(port.group(1));
                apiToken = issueToken();
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not start; see " + log);
    }

    /** Logs in as the bench's admin and issues the API token the bench works with. */
    private String issueToken() throws Exception {
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort
                + "/api/v1/auth/login")).POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                .add("username", "bench").add("password", adminPassword).build().toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> cookies = login.headers().allValues("Set-Cookie").stream()
                .map(c -> c.substring(0, c.indexOf(';'))).toList();
        String xsrf = cookies.stream().filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst().orElseThrow(
                () -> new IllegalStateException("login as bench failed: " + login.body())).substring(11);
        HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort
                + "/api/v1/tokens")).header("Cookie", String.join("; ", cookies)).header("X-XSRF-TOKEN", xsrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"role\":\"admin\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return json(issued.body()).asJsonObject().getString("token");
    }

    /**
     * A packaged agent named {@code name} on a free port, with the bench's tokens, on the private bus, sampling every
     * second; {@code settings} add to or override that. Returns its port.
     */
    int startAgent(String name, Map<String, String> settings) throws Exception {
        int port = freePort();
        ProcessBuilder process = new ProcessBuilder("monitor-agent/packaging/vigil-agent");
        process.environment().keySet().removeIf(key -> key.startsWith("VIGIL_"));
        Map<String, String> environment = new HashMap<>(Map.of(
                "JAVA", java(),
                "VIGIL_AGENT_TOKEN", READ,
                "VIGIL_AGENT_ACTION_TOKEN", ACTION,
                "VIGIL_AGENT_HOST", "127.0.0.1",
                "VIGIL_AGENT_PORT", Integer.toString(port),
                "VIGIL_AGENT_STATE_DIR", Files.createDirectories(run.resolve(name)).toString(),
                "VIGIL_AGENT_SAMPLE_INTERVAL", "1s",
                "DBUS_SYSTEM_BUS_ADDRESS", bus.address()));
        environment.putAll(settings);
        process.environment().putAll(environment);
        processes.add(process.redirectErrorStream(true).redirectOutput(run.resolve(name + ".log").toFile()).start());
        return port;
    }

    /** Registers a host; {@code host} is the body of POST /api/v1/hosts. Returns its id. */
    long register(JsonObject host) throws Exception {
        HttpResponse<String> created = HTTP.send(api("/api/v1/hosts")
                .POST(HttpRequest.BodyPublishers.ofString(host.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registering " + host.getString("name") + ": " + created.body());
        }
        return json(created.body()).asJsonObject().getJsonNumber("id").longValue();
    }

    void awaitHostsUp(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long up = get("/api/v1/hosts").asJsonArray().getValuesAs(JsonObject.class).stream()
                    .filter(host -> host.getString("status").equals("up")).count();
            if (up == count) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not every host came up; see the agent logs in " + run);
    }

    /** A process of the bench's own (a runaway, a watched one) that {@link #close} stops with the rest. */
    Process keep(Process process) {
        processes.add(process);
        return process;
    }

    JsonValue get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(api(path).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + path))
                .header("Authorization", "Bearer " + apiToken);
    }

    static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** "1.23 s" for the quantile of sorted seconds, "–" for none. */
    static String q(List<Double> sorted, double quantile) {
        return sorted.isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f s", quantile(sorted, quantile));
    }

    static double quantile(List<Double> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1));
    }

    static void say(String line) {
        System.out.println("bench: " + line);
    }

    /** Processes last started first (the server, on SIGTERM, stops its MariaDB), then the stand-in and the bus. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
        Optional.ofNullable(systemd).ifPresent(StandInSystemd::close);
        Optional.ofNullable(bus).ifPresent(DbusDaemon::close);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                say("pid " + process.pid() + " did not stop within 60 s: killing it");
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
