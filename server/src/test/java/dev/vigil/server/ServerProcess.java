package dev.vigil.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The packaged server ({@code target/vigil-server.jar}) as a child process, started as an operator would. */
public final class ServerProcess {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** The child JVM keeps the test run's temporary directory, so a checkout below /tmp still works. */
    private static final String TMPDIR = "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir");

    private final Process process;
    private final int port;
    private final Path log;
    /** Made at the first call, so that later calls need no login (which needs the database). */
    private String adminToken;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the jar with only these VIGIL_ settings (none inherited; they override the test admin, and an empty
     * value unsets one) and its output appended to {@code log}.
     */
    public static ServerProcess start(Map<String, String> settings, int port, Path log) throws IOException {
        ProcessBuilder server = new ProcessBuilder(JAVA, TMPDIR, "-jar", "target/vigil-server.jar");
        server.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        server.environment().putAll(Map.of("VIGIL_SERVER_HOST", "127.0.0.1", "VIGIL_ADMIN_USER", TestApi.ADMIN,
                "VIGIL_ADMIN_PASSWORD", TestApi.ADMIN_PASSWORD, "VIGIL_BCRYPT_COST", "4"));
        server.environment().putAll(settings);
        server.environment().put("VIGIL_SERVER_PORT", Integer.toString(port));
        return new ServerProcess(server.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start(), port, log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    /** A call with an admin's API token. */
    public HttpResponse<String> call(String method, String path, String body) throws Exception {
        if (adminToken == null) {
            adminToken = TestApi.adminToken(port);
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public ServerProcess awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        return fail("the server did not become ready: " + Files.readString(log));
    }

    /** SIGTERM, as systemd stops it. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }
}
