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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The packaged server on its embedded defaults, started and restarted as an operator would. */
class ServerJarIT {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** The child JVM keeps the test run's temporary directory, so a checkout below /tmp still works. */
    private static final String TMPDIR = "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir");

    private static Process start(Path dataDir, int port, Path log) throws IOException {
        ProcessBuilder server = new ProcessBuilder(JAVA, TMPDIR, "-jar", "target/vigil-server.jar");
        server.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        server.environment().putAll(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_SERVER_PORT", Integer.toString(port), "VIGIL_RULES_DIR", dataDir.resolve("rules").toString()));
        return server.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (call(port, "GET", "/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        fail("the server did not become ready: " + Files.readString(log));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theEmbeddedDefaultsKeepTheRegistryAcrossARestart() throws Exception {
        Path dataDir = Path.of("target", "it-data-" + ProcessHandle.current().pid()).toAbsolutePath();
        Path log = Files.createDirectories(Path.of("target")).resolve("server-it.log");
        int port = freePort();
        Process server = start(dataDir, port, log);
        try {
            awaitReady(port, server, log);
            assertTrue(Files.readString(log).contains("Listening on loopback only"), Files.readString(log));
            HttpResponse<String> created = call(port, "POST", "/api/v1/hosts",
                    "{\"name\":\"kept\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\"}");
            assertEquals(201, created.statusCode(), created.body());
        } finally {
            stop(server);
        }
        assertTrue(Files.exists(dataDir.resolve("secret.key")));
        assertTrue(Files.isDirectory(dataDir.resolve("mariadb/data")));

        server = start(dataDir, port, log);
        try {
            awaitReady(port, server, log);
            String hosts = call(port, "GET", "/api/v1/hosts", null).body();
            assertTrue(hosts.contains("\"name\":\"kept\""), hosts);
        } finally {
            stop(server);
        }
    }

    @Test
    void aDataDirUnderTheTemporaryDirectoryIsRefusedInOneLine() throws Exception {
        ProcessBuilder server = new ProcessBuilder(JAVA, TMPDIR, "-jar", "target/vigil-server.jar");
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        server.environment().putAll(Map.of("VIGIL_DATA_DIR", temporary.resolve("vigil-data").toString(),
                "VIGIL_SERVER_PORT", Integer.toString(freePort())));
        Process process = server.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        List<String> lines = output.strip().lines().toList();
        assertTrue(lines.getLast().startsWith("vigil-server: VIGIL_DATA_DIR"), output);
        assertFalse(output.contains("\tat "), output);
    }
}
