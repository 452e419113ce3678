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
