package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import dev.vigil.server.store.SecretBox;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hosts API of a real server on a real MariaDB. */
class HostsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ServerConfig config;
    private static VigilServer server;

    @BeforeAll
    static void start() {
        config = TestDatabase.serverConfig();
        server = VigilServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    static void assertRefused(HttpResponse<String> response, int status, String inMessage) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        String message = object(response).getString("message");
        assertTrue(message.contains(inMessage), message);
        assertFalse(response.body().contains("Exception"), response.body());
    }

    static JsonObject create(String name) throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/hosts", """
                {"name":"%s","url":"http://127.0.0.1:9130","token":"read-%s","action_token":"act-%s",
                 "interval_seconds":15,"group":"web","labels":{"env":"prod"},
                 "policy":{"allowed_services":["nginx.service"],"killable_processes":["java"],"auto_reboot":false}}
                """.formatted(name, name, name));
        assertEquals(201, created.statusCode(), created.body());
        return object(created);
    }

    @Test
    void aHostIsCreatedReadListedAndDeleted() throws Exception {
        JsonObject host = create("web-1");
        long id = host.getJsonNumber("id").longValue();
        assertEquals("web-1", host.getString("name"));
        assertEquals(15, host.getInt("interval_seconds"));
        assertEquals("web", host.getString("group"));
        assertEquals("prod", host.getJsonObject("labels").getString("env"));
        assertEquals(Json.createArrayBuilder().add("nginx.service").build(),
                host.getJsonObject("policy").getJsonArray("allowed_services"));
        assertTrue(host.getBoolean("has_action_token"));

        assertEquals(host, object(call("GET", "/api/v1/hosts/" + id, null)));
        JsonArray all = Json.createReader(new StringReader(call("GET", "/api/v1/hosts", null).body())).readArray();
        assertTrue(all.contains(host));

        assertEquals(204, call("DELETE", "/api/v1/hosts/" + id, null).statusCode());
        assertRefused(call("GET", "/api/v1/hosts/" + id, null), 404, "no host");
        assertRefused(call("DELETE", "/api/v1/hosts/" + id, null), 404, "no host");
    }

    @Test
    void tokensAreWriteOnlyAndEncryptedAtRest() throws Exception {
        JsonObject host = create("db-1");
        for (HttpResponse<String> response : new HttpResponse[] {call("GET", "/api/v1/hosts", null),
                call("GET", "/api/v1/hosts/" + host.getJsonNumber("id"), null)}) {
            assertFalse(response.body().contains("read-db-1") || response.body().contains("act-db-1"));
            JsonObject shown = response.body().startsWith("[")
                    ? Json.createReader(new StringReader(response.body())).readArray().getJsonObject(0)
                    : object(response);
            assertFalse(shown.containsKey("token") || shown.containsKey("action_token"), response.body());
        }
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT * FROM hosts WHERE name = 'db-1'")) {
            assertTrue(row.next());
            for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                Object value = row.getObject(column);
                String text = value instanceof byte[] raw
                        ? new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(value);
                assertFalse(text.contains("read-db-1") || text.contains("act-db-1"),
                        "column " + row.getMetaData().getColumnName(column) + " holds a token in clear");
            }
            SecretBox box = SecretBox.open(Optional.empty(), config.dataDir());
            assertEquals("read-db-1", box.open(row.getBytes("token_enc")));
            assertEquals("act-db-1", box.open(row.getBytes("action_token_enc")));
        }
    }

    @Test
    void anUpdateKeepsTokensLeftOutAndRemovesABlankActionToken() throws Exception {
        long id = create("cache-1").getJsonNumber("id").longValue();
        HttpResponse<String> updated = call("PUT", "/api/v1/hosts/" + id,
                "{\"name\":\"cache-1\",\"url\":\"https://10.0.0.5:9130\",\"interval_seconds\":30}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("https://10.0.0.5:9130", object(updated).getString("url"));
        assertTrue(object(updated).getBoolean("has_action_token"), "left out: kept");
        assertTrue(object(updated).isNull("group"), "a PUT replaces the host's settings");

        updated = call("PUT", "/api/v1/hosts/" + id, "{\"name\":\"cache-1\",\"url\":\"http://h:1\",\"action_token\":\"\"}");
        assertFalse(object(updated).getBoolean("has_action_token"), "blank: removed");
        assertRefused(call("PUT", "/api/v1/hosts/999999", "{\"name\":\"x\",\"url\":\"http://h:1\"}"), 404, "no host");
    }

    @Test
    void aSecondHostWithTheSameNameIs409() throws Exception {
        create("dup-1");
        assertRefused(call("POST", "/api/v1/hosts", "{\"name\":\"dup-1\",\"url\":\"http://h:1\",\"token\":\"t\"}"),
                409, "exists already");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{|not valid JSON",
            "[]|must be a JSON object",
            "{\"url\":\"http://h:1\",\"token\":\"t\"}|\"name\" is required",
            "{\"name\":\"a b\",\"url\":\"http://h:1\",\"token\":\"t\"}|\"name\" must be",
            "{\"name\":\"a\",\"token\":\"t\"}|\"url\" is required",
            "{\"name\":\"a\",\"url\":\"ftp://h\",\"token\":\"t\"}|http:// or https://",
            "{\"name\":\"a\",\"url\":\"http://h:1\"}|\"token\"",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"\"}|must not be empty",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"t\",\"interval_seconds\":2}|from 5 to 3600",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"t\",\"interval_seconds\":\"10\"}|whole number",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"t\",\"labels\":{\"k\":1}}|label \"k\"",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"t\",\"policy\":{\"auto_reboot\":\"yes\"}}|true or false",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"t\",\"policy\":{\"reboot\":true}}|unknown policy field",
            "{\"name\":\"a\",\"url\":\"http://h:1\",\"token\":\"t\",\"colour\":\"red\"}|unknown field"})
    void aBadHostIs400WithTheReason(String body, String reason) throws Exception {
        assertRefused(call("POST", "/api/v1/hosts", body), 400, reason);
    }

    @Test
    void aHugeBodyIs413AndUnknownRoutesAre404() throws Exception {
        assertRefused(call("POST", "/api/v1/hosts", "{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413, "larger");
        assertRefused(call("GET", "/api/v1/hosts/abc", null), 404, "no host");
        assertRefused(call("GET", "/api/v1/nothing", null), 404, "no such endpoint");
    }

    @Test
    void healthSaysTheDatabaseAnswers() throws Exception {
        assertEquals("{\"status\":\"UP\"}", call("GET", "/health/ready", null).body());
        assertEquals("{\"status\":\"UP\"}", call("GET", "/health/live", null).body());
    }
}
