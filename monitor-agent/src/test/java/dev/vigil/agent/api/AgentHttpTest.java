package dev.vigil.agent.api;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.agent.TestSupport;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real agent on a free loopback port, sampling this machine, spoken to over HTTP. */
class AgentHttpTest {
    private static final String READ = "read-token-1";
    private static final String ACTION = "action-token-2";
    private static final String VALID_ACTION = """
            {"id":"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e","type":"restart_service","target":"nginx.service",
             "reason":"nginx failed"}""";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** What Parsson's messages say: token names, char codes; a caller is told what is wrong in its own terms. */
    private static final Pattern PARSER_WORDS = Pattern.compile("CURLYOPEN|Expected tokens|Invalid token"
            + "|Unexpected char|line no=|Exception");

    private static Agent agent;
    private static Agent agentWithoutActions;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startAgents() {
        agent = Agent.start(config(Map.of("vigil.agent.action.token", ACTION,
                "vigil.agent.state.dir", stateDir.toString())));
        agentWithoutActions = Agent.start(config(Map.of()));
    }

    @AfterAll
    static void stopAgents() {
        agent.close();
        agentWithoutActions.close();
    }

    static AgentConfig config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "vigil.agent.host", "127.0.0.1",
                "vigil.agent.port", "0",
                "vigil.agent.token", READ));
        settings.putAll(extra);
        return AgentConfig.from(Config.just(ConfigSources.create(settings)));
    }

    static HttpResponse<String> get(Agent target, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(Agent target, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port()
                        + "/api/v1/actions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** Every refusal is a JSON error with a message, and never shows the agent's insides. */
    static void assertCleanError(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonObject error = json(response);
        assertFalse(error.getString("message").isBlank());
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), response.body());
    }

    @Test
    void healthNeedsNoTokenAndSaysOnlyItsStatus() throws Exception {
        for (String path : List.of("/health/live", "/health/ready")) {
            HttpResponse<String> response = get(agent, path, null);
            assertEquals(200, response.statusCode());
            assertEquals("{\"status\":\"UP\"}", response.body());
        }
    }

    @Test
    void metricsWithoutATokenAre401WithABearerChallenge() throws Exception {
        for (String path : List.of("/api/v1/metrics", "/metrics")) {
            HttpResponse<String> response = get(agent, path, null);
            assertCleanError(response, 401);
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }

    @Test
    void aWrongTokenOrSchemeIs401() throws Exception {
        for (String authorization : List.of("Bearer nope", "Bearer " + READ + "x", "Basic " + READ, "Bearer ", READ)) {
            HttpResponse<String> response = get(agent, "/api/v1/metrics", authorization);
            assertCleanError(response, 401);
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""), authorization);
        }
    }

    @Test
    void theActionTokenCannotReadMetrics() throws Exception {
        assertCleanError(get(agent, "/api/v1/metrics", "Bearer " + ACTION), 403);
    }

    @Test
    void theSnapshotHasEveryContractFieldWithItsType() throws Exception {
        HttpResponse<String> response = get(agent, "/api/v1/metrics", "bearer " + READ);
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonObject s = json(response);

        assertEquals(Set.of("hostname", "agent_version", "collected_at", "boot_time", "uptime_seconds", "cpu",
                "virtual_memory", "swap_memory", "disk_usage", "disk_io_counters", "net_io_counters",
                "sensors_temperatures", "processes", "services", "disk_health", "probes"), s.keySet());
        assertFalse(s.getString("hostname").isBlank());
        Instant collected = Instant.parse(s.getString("collected_at"));
        assertTrue(collected.isAfter(Instant.now().minusSeconds(60)));
        assertTrue(s.getJsonNumber("boot_time").isIntegral());
        assertTrue(s.getJsonNumber("uptime_seconds").longValue() > 0);

        JsonObject cpu = s.getJsonObject("cpu");
        assertEquals(Set.of("percent", "per_cpu_percent", "count_logical", "count_physical", "load_avg"), cpu.keySet());
        assertPercent(cpu.getJsonNumber("percent"));
        assertEquals(cpu.getInt("count_logical"), cpu.getJsonArray("per_cpu_percent").size());
        cpu.getJsonArray("per_cpu_percent").forEach(v -> assertPercent((JsonNumber) v));
        assertEquals(Runtime.getRuntime().availableProcessors() > 0, cpu.getInt("count_physical") > 0);
        assertEquals(3, cpu.getJsonArray("load_avg").size());

        assertNumbers(s.getJsonObject("virtual_memory"), "total", "available", "used", "free", "percent");
        assertPercent(s.getJsonObject("virtual_memory").getJsonNumber("percent"));
        assertNumbers(s.getJsonObject("swap_memory"), "total", "used", "free", "percent");

        assertFalse(s.getJsonArray("disk_usage").isEmpty(), "this machine has a real root filesystem");
        for (JsonValue disk : s.getJsonArray("disk_usage")) {
            JsonObject d = disk.asJsonObject();
            assertEquals(Set.of("mountpoint", "device", "fstype", "total", "used", "free", "percent"), d.keySet());
            assertNumbers(d, "total", "used", "free", "percent");
            assertPercent(d.getJsonNumber("percent"));
        }
        for (JsonValue counters : s.getJsonObject("disk_io_counters").values()) {
            assertNumbers(counters.asJsonObject(), "read_bytes", "write_bytes", "read_count", "write_count");
        }
        assertTrue(s.getJsonObject("net_io_counters").containsKey("lo"));
        for (JsonValue counters : s.getJsonObject("net_io_counters").values()) {
            assertNumbers(counters.asJsonObject(), "bytes_sent", "bytes_recv", "packets_sent", "packets_recv",
                    "errin", "errout", "dropin", "dropout");
        }
        JsonObject processes = s.getJsonObject("processes");
        assertTrue(processes.getInt("total") > 1);
        assertFalse(processes.getJsonArray("top").isEmpty());
        for (JsonValue process : processes.getJsonArray("top")) {
            JsonObject p = process.asJsonObject();
            assertEquals(Set.of("pid", "name", "username", "cpu_percent", "memory_percent", "rss", "create_time"),
                    p.keySet());
            assertTrue(p.getJsonNumber("pid").isIntegral());
            assertTrue(p.get("name") instanceof JsonString);
            assertNumbers(p, "cpu_percent", "memory_percent", "rss", "create_time");
        }
        long self = ProcessHandle.current().pid();
        assertTrue(processes.getJsonArray("top").stream().anyMatch(p -> p.asJsonObject().getInt("pid") == self),
                "this test's JVM is among the top processes by memory");
        assertEquals(List.of(), s.getJsonArray("services"));
        assertEquals(List.of(), s.getJsonArray("probes"), "no probes configured");
    }

    static void assertPercent(JsonNumber value) {
        assertTrue(value.doubleValue() >= 0 && value.doubleValue() <= 100, value.toString());
    }

    static void assertNumbers(JsonObject object, String... names) {
        for (String name : names) {
            assertTrue(object.get(name) instanceof JsonNumber, name + " in " + object);
        }
    }

    @Test
    void prometheusTextIsValidExposition(@TempDir Path dir) throws Exception {
        HttpResponse<String> response = get(agent, "/metrics", "Bearer " + READ);
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\nvigil_memory_total_bytes "));
        assertValidExposition(response.body(), dir);
    }

    /** Every line a vigil_ family or sample, and promtool accepts it without a remark. */
    static void assertValidExposition(String exposition, Path dir) throws Exception {
        Pattern sample = Pattern.compile("vigil_[a-z0-9_]+(\\{([a-z_]+=\"([^\"\\\\\\n]|\\\\.)*\",?)*})? \\S+");
        for (String line : exposition.split("\n")) {
            assertTrue(line.startsWith("# HELP vigil_") || line.startsWith("# TYPE vigil_") || sample.matcher(line).matches(),
                    line);
        }
        Path promtool = TestSupport.requireProgram("promtool", "prometheus");
        Path file = Files.writeString(dir.resolve("metrics.txt"), exposition);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(file.toFile()).redirectErrorStream(true).start();
        String verdict = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), "promtool check metrics: " + verdict);
        assertEquals("", verdict.strip(), "promtool has lint remarks");
    }

    @Test
    void actionsAreRefusedOutrightWithoutAnActionToken() throws Exception {
        for (String authorization : new String[] {null, "Bearer " + READ, "Bearer " + ACTION, "Bearer x"}) {
            assertCleanError(post(agentWithoutActions, authorization, VALID_ACTION), 403);
        }
    }

    @Test
    void actionsNeedTheActionToken() throws Exception {
        HttpResponse<String> none = post(agent, null, VALID_ACTION);
        assertCleanError(none, 401);
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertCleanError(post(agent, "Bearer wrong", VALID_ACTION), 401);
        assertCleanError(post(agent, "Bearer " + READ, VALID_ACTION), 403);
    }

    @Test
    void aValidActionThePolicyRefusesIs403WithTheResult() throws Exception {
        HttpResponse<String> response = post(agent, "Bearer " + ACTION, VALID_ACTION);
        assertEquals(403, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonObject result = json(response);
        assertEquals("0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e", result.getString("id"));
        assertEquals("refused", result.getString("status"));
        assertEquals("nginx.service is not in VIGIL_AGENT_ALLOWED_SERVICES (empty)", result.getString("detail"));
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("{", "not valid JSON"),
                Arguments.of("[1,2]", "must be a JSON object"),
                Arguments.of("", "not valid JSON"),
                Arguments.of("{\"type\":\"reboot\"}", "\"id\""),
                Arguments.of("{\"id\":\"not-a-uuid\",\"type\":\"reboot\"}", "must be a UUID"),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"format_disk\"}", "\"type\""),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"restart_service\"}",
                        "\"target\""),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"kill_process\","
                        + "\"target\":\"java\"}", "\"pid\""),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"kill_process\","
                        + "\"target\":\"java\",\"pid\":-3,\"create_time\":1}", "positive integer"),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"kill_process\","
                        + "\"target\":\"java\",\"pid\":42}", "\"create_time\""),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"kill_process\","
                        + "\"target\":\"java\",\"pid\":42,\"create_time\":1.5,\"signal\":\"STOP\"}", "\"signal\""),
                Arguments.of("{\"id\":7,\"type\":\"reboot\"}", "\"id\" must be a string"),
                Arguments.of("{\"id\" 7}", "not valid JSON: unexpected '7' at line 1, column 7"),
                Arguments.of(VALID_ACTION + " x", "not valid JSON"),
                Arguments.of(Named.of("20,000 nested arrays", "[".repeat(20_000) + "]".repeat(20_000)),
                        "must be a JSON object"),
                Arguments.of(Named.of("a field of 20,000 nested arrays", "{\"reason\":" + "[".repeat(20_000)
                        + "]".repeat(20_000) + "}"), "\"reason\" must be a string"),
                Arguments.of(kill("99999999999999999999", "1763800100.5"), "\"pid\""),
                Arguments.of(kill("18446744073709551617", "1763800100.5"), "\"pid\""),
                Arguments.of(kill("42", "1e400"), "\"create_time\""),
                Arguments.of(kill("42", "1" + "0".repeat(2000)), "\"create_time\""),
                Arguments.of("{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"restart_service\","
                        + "\"target\":\"nginx.service\\r\\nforged log line\"}", "\"target\""));
    }

    private static String kill(String pid, String createTime) {
        return "{\"id\":\"0f8c3c8e-6d2f-4a57-9d0e-1f2a3b4c5d6e\",\"type\":\"kill_process\",\"target\":\"java\","
                + "\"pid\":" + pid + ",\"create_time\":" + createTime + "}";
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void aBadBodyIs400WithAMessageThatSaysWhy(String body, String expectedInMessage) throws Exception {
        HttpResponse<String> response = post(agent, "Bearer " + ACTION, body);
        assertCleanError(response, 400);
        String message = json(response).getString("message");
        assertTrue(message.contains(expectedInMessage), message);
        assertFalse(PARSER_WORDS.matcher(message).find(), "the parser's own words: " + message);
    }

    @Test
    void aBodyOver64KiBIs413() throws Exception {
        String huge = "{\"reason\":\"" + "x".repeat(AgentConfig.MAX_ACTION_BODY) + "\"}";
        assertCleanError(post(agent, "Bearer " + ACTION, huge), 413);
        assertEquals(200, get(agent, "/health/live", null).statusCode(), "the agent keeps serving");
    }

    @Test
    void aBodyOver64KiBWithoutContentLengthIs413() throws Exception {
        byte[] chunk = ("{\"reason\":\"" + "x".repeat(AgentConfig.MAX_ACTION_BODY) + "\"}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/api/v1/actions"))
                .header("Authorization", "Bearer " + ACTION)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunk)))
                .build();
        assertCleanError(HTTP.send(request, HttpResponse.BodyHandlers.ofString()), 413);
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertCleanError(get(agent, "/api/v1/nothing", "Bearer " + READ), 404);
    }

    @Test
    void aBodyOverTheServersLimitIsRefusedBeforeAnyHandler() throws Exception {
        // Only the head is sent: the refusal must come from the declared length alone, before any body byte is read.
        // (Sending the whole megabyte races the server closing the connection after its answer.)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", agent.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/actions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + ACTION + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1024 * 1024) + "\r\n\r\n").getBytes());
            String answer = new String(socket.getInputStream().readAllBytes());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"error\":"), answer);
            assertFalse(answer.contains("Exception"), answer);
        }
    }

    @Test
    void malformedHttpIs400() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", agent.port())) {
            socket.getOutputStream().write("GARBAGE\r\n\r\n".getBytes());
            String answer = new String(socket.getInputStream().readAllBytes());
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("{\"error\":\"bad_request\",\"message\":\"malformed HTTP request\"}"), answer);
        }
    }

    @Test
    void missingReadTokenStopsTheConfigWithAClearMessage() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.from(Config.just(ConfigSources.create(Map.of("vigil.agent.port", "0")))));
        assertTrue(e.getMessage().startsWith("VIGIL_AGENT_TOKEN is not set"), e.getMessage());
    }

    @Test
    void commaListsAndDurationsAreUnderstood() {
        AgentConfig c = config(Map.of("vigil.agent.allowed.services", "nginx.service, redis.service",
                "vigil.agent.sample.interval", "5s"));
        assertEquals(List.of("nginx.service", "redis.service"), c.allowedServices());
        assertEquals(c.allowedServices(), c.watchServices(), "watched defaults to allowed");
        assertEquals(java.time.Duration.ofSeconds(5), c.sampleInterval());
        assertThrows(() -> config(Map.of("vigil.agent.sample.interval", "fast")));
        assertThrows(() -> config(Map.of("vigil.agent.sample.interval", "100ms")));
        assertThrows(() -> config(Map.of("vigil.agent.tls.cert", "/etc/cert.pem")));
        assertThrows(() -> config(Map.of("vigil.agent.filesystems.exclude.mountpoints", "(")));
    }

    @Test
    void actionSettingsHaveTheirDefaultsAndAreChecked() {
        AgentConfig defaults = config(Map.of());
        assertEquals(java.time.Duration.ofSeconds(30), defaults.restartTimeout());
        assertEquals(java.time.Duration.ofSeconds(10), defaults.killGrace());
        assertEquals(List.of(), defaults.killableProcesses());
        assertEquals(Path.of("/var/lib/vigil-agent"), defaults.stateDir());
        AgentConfig set = config(Map.of("vigil.agent.restart.timeout", "1m", "vigil.agent.kill.grace", "500ms",
                "vigil.agent.killable.processes", "python3, java", "vigil.agent.state.dir", "/srv/vigil"));
        assertEquals(java.time.Duration.ofMinutes(1), set.restartTimeout());
        assertEquals(java.time.Duration.ofMillis(500), set.killGrace());
        assertEquals(List.of("python3", "java"), set.killableProcesses());
        assertEquals(Path.of("/srv/vigil"), set.stateDir());
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("vigil.agent.kill.grace", "0s")));
        assertTrue(zero.getMessage().startsWith("VIGIL_AGENT_KILL_GRACE"), zero.getMessage());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("vigil.agent.restart.timeout", "soon")));
        assertTrue(bad.getMessage().startsWith("VIGIL_AGENT_RESTART_TIMEOUT"), bad.getMessage());
    }

    private static void assertThrows(org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                executable);
        assertFalse(e.getMessage().isBlank());
    }
}
