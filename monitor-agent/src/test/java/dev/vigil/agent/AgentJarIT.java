package dev.vigil.agent;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The packaged agent, as an operator starts it: the jar and the launcher script, configured by environment. */
class AgentJarIT {
    private static final Path JAR = Path.of("target/vigil-agent.jar");
    private static final Path LAUNCHER = Path.of("packaging/vigil-agent");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    record Run(int exitCode, String stdout, String stderr) {
    }

    private static ProcessBuilder agent(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        builder.environment().putAll(env);
        return builder;
    }

    private static Run run(ProcessBuilder builder) throws Exception {
        Path out = Files.createTempFile("agent", ".out");
        Path err = Files.createTempFile("agent", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the agent did not exit: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void helpListsEverySettingWithItsDefault() throws Exception {
        Run help = run(agent(Map.of(), "--help"));
        assertEquals(0, help.exitCode());
        for (String variable : List.of("VIGIL_AGENT_TOKEN", "VIGIL_AGENT_ACTION_TOKEN", "VIGIL_AGENT_HOST",
                "VIGIL_AGENT_PORT", "VIGIL_AGENT_ALLOWED_SERVICES", "VIGIL_AGENT_WATCH_SERVICES",
                "VIGIL_AGENT_ALLOW_KILL", "VIGIL_AGENT_ALLOW_REBOOT", "VIGIL_AGENT_DRY_RUN", "VIGIL_AGENT_PROCFS",
                "VIGIL_AGENT_SYSFS", "VIGIL_AGENT_TLS_CERT", "VIGIL_AGENT_TLS_KEY", "DBUS_SYSTEM_BUS_ADDRESS",
                "VIGIL_AGENT_KILLABLE_PROCESSES", "VIGIL_AGENT_RESTART_TIMEOUT", "VIGIL_AGENT_KILL_GRACE",
                "VIGIL_AGENT_STATE_DIR")) {
            assertTrue(help.stdout().contains(variable), variable);
        }
        assertTrue(help.stdout().contains("9130"));
    }

    @Test
    void withoutATokenTheAgentRefusesToStartWithOneClearLine() throws Exception {
        Run run = run(agent(Map.of("VIGIL_AGENT_PORT", Integer.toString(freePort()))));
        assertEquals(2, run.exitCode());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("VIGIL_AGENT_TOKEN is not set"), run.stderr());
        assertFalse(run.stderr().contains("Exception"), run.stderr());
    }

    @Test
    void aNonsenseSettingIsOneClearLineToo() throws Exception {
        for (Map<String, String> bad : List.of(
                Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_PORT", "eighty"),
                Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_SAMPLE_INTERVAL", "often"),
                Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_TLS_KEY", "/nonexistent/key.pem"))) {
            Run run = run(agent(bad));
            assertEquals(2, run.exitCode(), bad + ": " + run.stderr());
            assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
            assertTrue(run.stderr().startsWith("vigil-agent: "), run.stderr());
            assertFalse(run.stderr().contains("\tat "), run.stderr());
        }
    }

    @Test
    void aDryRunThatCannotBeReadStopsTheStartWithExactlyOneLine() throws Exception {
        Run run = run(agent(Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_PORT", Integer.toString(freePort()),
                "VIGIL_AGENT_DRY_RUN", "ture")));
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("vigil-agent: VIGIL_AGENT_DRY_RUN must be true or false, not 'ture'\n", run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void aPortThatIsNoNumberIsExactlyOneLineWithoutHelidonInternals() throws Exception {
        Run run = run(agent(Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_PORT", "abc")));
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("vigil-agent: VIGIL_AGENT_PORT must be a whole number from 0 to 65535, not 'abc'\n", run.stderr());
    }

    @Test
    void aConfigFileInYamlOrPropertiesIsReadAndTheEnvironmentBeatsIt(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("agent.yaml"),
                "vigil:\n  agent:\n    token: t\n    dry:\n      run: ture\n");
        Run fromYaml = run(agent(Map.of("VIGIL_AGENT_PORT", Integer.toString(freePort())), "--config", yaml.toString()));
        assertEquals(2, fromYaml.exitCode(), fromYaml.stderr());
        assertEquals("vigil-agent: VIGIL_AGENT_DRY_RUN must be true or false, not 'ture'\n", fromYaml.stderr());

        Path properties = Files.writeString(dir.resolve("agent.properties"), "vigil.agent.token=t\nvigil.agent.port=x\n");
        Run fromProperties = run(agent(Map.of(), "--config", properties.toString()));
        assertEquals("vigil-agent: VIGIL_AGENT_PORT must be a whole number from 0 to 65535, not 'x'\n",
                fromProperties.stderr());
        Run overridden = run(agent(Map.of("VIGIL_AGENT_PORT", "y"), "--config", properties.toString()));
        assertEquals("vigil-agent: VIGIL_AGENT_PORT must be a whole number from 0 to 65535, not 'y'\n",
                overridden.stderr());

        Run missing = run(agent(Map.of(), "--config", dir.resolve("none.yaml").toString()));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().startsWith("vigil-agent: --config "), missing.stderr());
    }

    @Test
    void aSystemPropertyIsASettingBelowTheEnvironment() throws Exception {
        List<String> command = List.of(JAVA, "-Dvigil.agent.token=t", "-Dvigil.agent.kill.grace=soon", "-jar",
                JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        Run fromProperty = run(builder);
        assertEquals("vigil-agent: VIGIL_AGENT_KILL_GRACE must be a duration from 100ms to 10m (such as 500ms, 2s, "
                + "10m, 8h, 7d, or ISO-8601 like PT2S), not 'soon'\n", fromProperty.stderr());
        builder.environment().put("VIGIL_AGENT_KILL_GRACE", "later");
        assertTrue(run(builder).stderr().endsWith("not 'later'\n"));
    }

    @Test
    void unknownAgentVariablesAreNamedInOneWarningWithoutTheirValues() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("agent", ".log");
        ProcessBuilder builder = agent(Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_HOST", "127.0.0.1",
                "VIGIL_AGENT_PORT", Integer.toString(port), "VIGIL_AGENT_DRYRUN", "value-never-shown",
                "VIGIL_AGENT_JVM_OPTS", "-Xmx48m", "VIGIL_DRY_RUN", "true"));
        Process agent = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForSnapshot(port);
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "the agent stops on SIGTERM");
        }
        String output = Files.readString(log);
        List<String> warnings = output.lines().filter(line -> line.contains("VIGIL_AGENT_DRYRUN")).toList();
        assertEquals(1, warnings.size(), output);
        assertTrue(warnings.getFirst().contains("WARNING"), output);
        assertFalse(output.contains("value-never-shown"), output);
        assertFalse(warnings.getFirst().contains("VIGIL_AGENT_JVM_OPTS"), "the launcher's variable is known: " + output);
        assertFalse(warnings.getFirst().contains("VIGIL_DRY_RUN"), "the server's variable is not the agent's: " + output);
    }

    @Test
    void withTheActionTokenAStateDirectoryItCannotWriteIsOneClearLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "");
        Run run = run(agent(Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_ACTION_TOKEN", "a",
                "VIGIL_AGENT_PORT", Integer.toString(freePort()), "VIGIL_AGENT_STATE_DIR", file + "/state")));
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().startsWith("vigil-agent: VIGIL_AGENT_STATE_DIR " + file + "/state"), run.stderr());
    }

    @Test
    void thePortIsTakenIsOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run run = run(agent(Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_HOST", "127.0.0.1",
                    "VIGIL_AGENT_PORT", Integer.toString(taken.getLocalPort()))));
            assertEquals(1, run.exitCode(), run.stderr());
            assertTrue(run.stderr().contains("vigil-agent: cannot start"), run.stderr());
            assertFalse(run.stderr().contains("\tat "), run.stderr());
        }
    }

    /** The acceptance check of the agent: its numbers are psutil's on this same machine. */
    @Test
    void theLauncherServesASnapshotThatAgreesWithPsutil() throws Exception {
        Path debianPython = Path.of("/usr/bin/python3");
        Path python = Files.isExecutable(debianPython) ? debianPython
                : TestSupport.requireProgram("python3", "python3-psutil");
        int port = freePort();
        ProcessBuilder launcher = new ProcessBuilder(LAUNCHER.toString());
        launcher.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        launcher.environment().putAll(Map.of("VIGIL_AGENT_TOKEN", "t", "VIGIL_AGENT_HOST", "127.0.0.1",
                "VIGIL_AGENT_PORT", Integer.toString(port),
                "JAVA", JAVA));
        Process agent = launcher.redirectErrorStream(true).redirectOutput(Files.createTempFile("agent", ".log").toFile())
                .start();
        try {
            JsonObject snapshot = Json.createReader(new StringReader(waitForSnapshot(port))).readObject();
            JsonObject psutil = psutil(python);

            JsonObject cpu = snapshot.getJsonObject("cpu");
            assertEquals(psutil.getInt("count_logical"), cpu.getInt("count_logical"));
            assertEquals(psutil.getInt("count_physical"), cpu.getInt("count_physical"));
            assertEquals(psutil.getJsonNumber("memory_total").longValue(),
                    snapshot.getJsonObject("virtual_memory").getJsonNumber("total").longValue());
            assertEquals(psutil.getJsonNumber("boot_time").doubleValue(),
                    snapshot.getJsonNumber("boot_time").doubleValue(), 2.0);
            for (int i = 0; i < 3; i++) {
                assertEquals(psutil.getJsonArray("load_avg").getJsonNumber(i).doubleValue(),
                        cpu.getJsonArray("load_avg").getJsonNumber(i).doubleValue(), 1.0);
            }
            JsonObject root = snapshot.getJsonArray("disk_usage").stream().map(JsonValue::asJsonObject)
                    .filter(d -> d.getString("mountpoint").equals("/")).findFirst()
                    .orElseThrow(() -> new AssertionError("no / in " + snapshot.getJsonArray("disk_usage")));
            JsonObject rootExpected = psutil.getJsonObject("root");
            for (String size : List.of("total", "used", "free")) {
                double expected = rootExpected.getJsonNumber(size).doubleValue();
                assertEquals(expected, root.getJsonNumber(size).doubleValue(), expected * 0.01, size + " of /");
            }
            assertEquals(rootExpected.getJsonNumber("percent").doubleValue(),
                    root.getJsonNumber("percent").doubleValue(), 1.0);
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "the agent stops on SIGTERM");
        }
    }

    private static String waitForSnapshot(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics"))
                .header("Authorization", "Bearer t").build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notListeningYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the agent did not serve a snapshot within 30 s");
    }

    private static JsonObject psutil(Path python) throws Exception {
        Process process = new ProcessBuilder(python.toString(), "-c", """
                import json, os, psutil
                root = psutil.disk_usage("/")
                print(json.dumps({
                    "count_logical": psutil.cpu_count(), "count_physical": psutil.cpu_count(logical=False),
                    "memory_total": psutil.virtual_memory().total, "boot_time": psutil.boot_time(),
                    "load_avg": list(os.getloadavg()),
                    "root": {"total": root.total, "used": root.used, "free": root.free, "percent": root.percent}}))
                """).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        if (process.exitValue() != 0) {
            if (TestSupport.inCi()) {
                fail("python3-psutil is needed in CI: " + output);
            }
            org.junit.jupiter.api.Assumptions.abort("python3 has no psutil (apt-get install -y python3-psutil): " + output);
        }
        return Json.createReader(new StringReader(output)).readObject();
    }
}
