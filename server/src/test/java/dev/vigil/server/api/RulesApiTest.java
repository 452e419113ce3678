package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.vigil.rules.RuleFiles;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The rules folder through the API and behind its back: broken edits never replace the running rules. */
class RulesApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EXTRA_RULE = """
            package vigil.rules
            import dev.vigil.rules.model.*
            rule "Any sample of a host named canary"
            when
                Sample( host.name() == "canary" )
            then
            end
            """;
    private VigilServer server;
    private Path folder;

    @BeforeEach
    void start() {
        ServerConfig config = TestDatabase.serverConfig();
        folder = config.rulesDir();
        server = VigilServer.start(config);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private JsonObject rules() throws Exception {
        HttpResponse<String> response = call("GET", "/api/v1/rules", null);
        assertEquals(200, response.statusCode(), response.body());
        return object(response);
    }

    private JsonObject awaitStatus(String status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonObject rules = rules();
        while (!rules.getString("status").equals(status)) {
            if (System.nanoTime() > deadline) {
                fail("the rules did not become " + status + " within " + within + ": " + rules);
            }
            Thread.sleep(100);
            rules = rules();
        }
        return rules;
    }

    private static String quoted(String text) {
        return Json.createValue(text).toString();
    }

    @Test
    void theDefaultsAreSeededLoadedAndReadable() throws Exception {
        JsonObject rules = rules();
        assertEquals("loaded", rules.getString("status"));
        assertEquals(RuleFiles.DEFAULTS.size(), rules.getJsonArray("files").size());
        assertTrue(rules.getJsonArray("rules").toString().contains("A watched service that is down is restarted"));
        JsonObject cpu = object(call("GET", "/api/v1/rules/cpu.drl", null));
        assertEquals(Files.readString(folder.resolve("cpu.drl")), cpu.getString("content"));
        assertEquals(404, call("GET", "/api/v1/rules/none.drl", null).statusCode());
        assertEquals(400, call("GET", "/api/v1/rules/secret.txt", null).statusCode());
        assertEquals(404, call("GET", "/api/v1/rules/..%2Fsecret.drl", null).statusCode());
    }

    @Test
    void aPutThatDoesNotCompileIs400WithTheLineAndChangesNothing() throws Exception {
        String before = Files.readString(folder.resolve("cpu.drl"));
        String broken = before.replace("cpuPercent > host.limit(\"cpu_warning_percent\", 90)", "cpuPercent > ");
        HttpResponse<String> response = call("PUT", "/api/v1/rules/cpu.drl", "{\"content\":" + quoted(broken) + "}");
        assertEquals(400, response.statusCode(), response.body());
        JsonObject problem = object(response).getJsonArray("problems").getJsonObject(0);
        assertEquals("cpu.drl", problem.getString("file"));
        assertEquals(10, problem.getInt("line"), response.body());
        assertEquals(before, Files.readString(folder.resolve("cpu.drl")), "the file on disk is untouched");
        assertEquals("loaded", rules().getString("status"));
    }

    @Test
    void aGoodPutIsWrittenAndRunsAtOnce() throws Exception {
        HttpResponse<String> response = call("PUT", "/api/v1/rules/canary.drl",
                "{\"content\":" + quoted(EXTRA_RULE) + "}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(EXTRA_RULE, Files.readString(folder.resolve("canary.drl")));
        assertTrue(rules().getJsonArray("rules").toString().contains("Any sample of a host named canary"));
    }

    @Test
    void aBrokenFileOnDiskLeavesTheRulesRunningAndShowsItsLineThenTheFixReloadsWithin5Seconds() throws Exception {
        Files.writeString(folder.resolve("canary.drl"), EXTRA_RULE.replace("Sample( host", "Sample( host ==== "));
        JsonObject failed = awaitStatus("error", Duration.ofSeconds(5));
        JsonObject problem = failed.getJsonArray("problems").getJsonObject(0);
        assertEquals("canary.drl", problem.getString("file"));
        assertEquals(5, problem.getInt("line"), failed.toString());
        assertFalse(failed.getJsonArray("rules").toString().contains("canary"), "the old rules keep running");
        assertTrue(failed.getJsonArray("rules").toString().contains("CPU above 90% for 5 minutes is a warning"));

        long fixed = System.nanoTime();
        Files.writeString(folder.resolve("canary.drl"), EXTRA_RULE);
        JsonObject loaded = awaitStatus("loaded", Duration.ofSeconds(5));
        assertTrue(loaded.getJsonArray("rules").toString().contains("Any sample of a host named canary"));
        assertTrue(System.nanoTime() - fixed < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aFileThatIsNotTextOrTooLargeIsAnErrorNamingItAndTheRulesKeepRunning() throws Exception {
        Files.write(folder.resolve("binary.drl"), new byte[] {'r', 'u', (byte) 0xC3, (byte) 0x28, 0, 7});
        JsonObject failed = awaitStatus("error", Duration.ofSeconds(5));
        JsonObject problem = failed.getJsonArray("problems").getJsonObject(0);
        assertEquals("binary.drl", problem.getString("file"));
        assertEquals("binary.drl is not UTF-8 text", problem.getString("message"));
        assertTrue(failed.getJsonArray("rules").toString().contains("CPU above 90% for 5 minutes is a warning"),
                "the running rules stay");
        HttpResponse<String> read = call("GET", "/api/v1/rules/disk.drl", null);
        assertEquals(409, read.statusCode(), read.body());
        assertTrue(object(read).getString("message").contains("binary.drl is not UTF-8 text"), read.body());

        Files.delete(folder.resolve("binary.drl"));
        awaitStatus("loaded", Duration.ofSeconds(5));
        Files.write(folder.resolve("huge.drl"), new byte[RuleFiles.MAX_FILE_BYTES + 1]);
        assertEquals("huge.drl is 1024 KiB; a rule file holds at most 1024 KiB", awaitStatus("error",
                Duration.ofSeconds(5)).getJsonArray("problems").getJsonObject(0).getString("message"));
    }

    @Test
    void validateComparesACandidateWithoutChangingAnything() throws Exception {
        JsonObject good = object(call("POST", "/api/v1/rules/validate",
                "{\"name\":\"canary.drl\",\"content\":" + quoted(EXTRA_RULE) + "}"));
        assertTrue(good.getBoolean("valid"));
        JsonObject bad = object(call("POST", "/api/v1/rules/validate",
                "{\"files\":{\"canary.drl\":" + quoted("rule \"x\" when then") + "}}"));
        assertFalse(bad.getBoolean("valid"));
        assertFalse(Files.exists(folder.resolve("canary.drl")));
        assertEquals(400, call("POST", "/api/v1/rules/validate", "{\"content\":1}").statusCode());
    }
}
