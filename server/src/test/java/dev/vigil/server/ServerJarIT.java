package dev.vigil.server;

import java.net.http.HttpResponse;
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
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String TMPDIR = "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir");

    private static ServerProcess start(Path dataDir, int port, Path log) throws Exception {
        return ServerProcess.start(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_RULES_DIR", dataDir.resolve("rules").toString()), port, log).awaitReady();
    }

    @Test
    void theEmbeddedDefaultsKeepTheRegistryAcrossARestart() throws Exception {
        Path dataDir = Path.of("target", "it-data-" + ProcessHandle.current().pid()).toAbsolutePath();
        Path log = Files.createDirectories(Path.of("target")).resolve("server-it.log");
        Files.deleteIfExists(log);
        int port = ServerProcess.freePort();
        ServerProcess server = start(dataDir, port, log);
        try {
            assertTrue(Files.readString(log).contains("Created the first admin, admin, from VIGIL_ADMIN_USER"),
                    Files.readString(log));
            HttpResponse<String> created = server.call("POST", "/api/v1/hosts",
                    "{\"name\":\"kept\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\"}");
            assertEquals(201, created.statusCode(), created.body());
        } finally {
            server.stop();
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
        } finally {
            server.stop();
        }
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

    @Test
    void aDataDirUnderTheTemporaryDirectoryIsRefusedInOneLine() throws Exception {
        ProcessBuilder server = new ProcessBuilder(JAVA, TMPDIR, "-jar", "target/vigil-server.jar");
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        server.environment().putAll(Map.of("VIGIL_DATA_DIR", temporary.resolve("vigil-data").toString(),
                "VIGIL_SERVER_PORT", Integer.toString(ServerProcess.freePort())));
        Process process = server.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        List<String> lines = output.strip().lines().toList();
        assertTrue(lines.getLast().startsWith("vigil-server: VIGIL_DATA_DIR"), output);
        assertFalse(output.contains("\tat "), output);
    }
}
