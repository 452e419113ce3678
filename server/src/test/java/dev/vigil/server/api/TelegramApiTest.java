package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Telegram bot's routes on the real database: the panel's settings (the bot token write-only and sealed at
 * rest), the bot's config (admin API tokens only), its status, the panel's requests, refusals audited under
 * {@code telegram:<id>}, the events (never with the token), and an API token acting for a Telegram user with the
 * lower of the two roles.
 */
class TelegramApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A made-up bot token of the shape BotFather gives. */
    private static final String BOT_TOKEN = TestApi.remember("123456789:AAH" + "x9Kq_w-Zr3".repeat(4) + "tail");
    private static final String OTHER_TOKEN = TestApi.remember("42:" + "b".repeat(35) + "Zz9_");

    private ServerConfig config;
    private VigilServer server;
    private String admin;

    @BeforeEach
    void start() {
        config = TestDatabase.serverConfig().withDryRun(false);
        server = VigilServer.start(config);
        admin = TestApi.adminToken(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String token, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> browser(String method, String path, String body, String... headers)
            throws Exception {
        TestApi.Session session = TestApi.login(server.port(), TestApi.ADMIN, TestApi.ADMIN_PASSWORD);
        List<String> all = new ArrayList<>(List.of("Cookie", session.cookie(), "X-XSRF-TOKEN", session.csrf()));
        all.addAll(List.of(headers));
        return call(method, path, body, null, all.toArray(String[]::new));
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private JsonObject ok(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body, admin);
        assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " "
                + response.body());
        assertFalse(response.body().contains(BOT_TOKEN) && !path.equals("/api/v1/telegram/config"), response.body());
        return object(response);
    }

    private JsonArray audit(String query) throws Exception {
        HttpResponse<String> response = call("GET", "/api/v1/audit?" + query, null, admin);
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    private JsonArray auditOf(String actor) throws Exception {
        return audit("actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8));
    }

    private static final String FULL = "{\"token\":\"" + BOT_TOKEN + "\","
            + "\"chats\":[{\"chat_id\":-1001234567890,\"topic_id\":42},{\"chat_id\":123456,\"topic_id\":null},"
            + "{\"chat_id\":-999999999999999,\"topic_id\":2147483647}],"
            + "\"users\":[{\"user_id\":11111,\"role\":\"operator\"},{\"user_id\":1000000000000000,\"role\":\"admin\"},"
            + "{\"user_id\":1,\"role\":\"viewer\"}],"
            + "\"min_severity\":\"critical\",\"quiet_non_critical\":false}";

    @Test
    void everyFieldRoundTripsAndTheTokenIsWriteOnlyAndSealedAtRest() throws Exception {
        JsonObject empty = ok("GET", "/api/v1/settings/telegram", null);
        assertEquals(Json.createReader(new StringReader("{\"token_set\":false,\"token_hint\":null,\"chats\":[],"
                + "\"users\":[],\"min_severity\":\"warning\",\"quiet_non_critical\":true,\"updated_at\":null,"
                + "\"updated_by\":null,\"status\":null}")).readObject(), empty);

        JsonObject written = ok("PUT", "/api/v1/settings/telegram", FULL);
        assertEquals(written, ok("GET", "/api/v1/settings/telegram", null));
        assertTrue(written.getBoolean("token_set"));
        assertEquals("…" + BOT_TOKEN.substring(BOT_TOKEN.length() - 4), written.getString("token_hint"));
        assertFalse(written.containsKey("token"));
        assertEquals(Json.createReader(new StringReader("[{\"chat_id\":-1001234567890,\"topic_id\":42},"
                + "{\"chat_id\":123456,\"topic_id\":null},{\"chat_id\":-999999999999999,\"topic_id\":2147483647}]"))
                .readArray(), written.getJsonArray("chats"));
        assertEquals(Json.createReader(new StringReader("[{\"user_id\":11111,\"role\":\"operator\"},"
                + "{\"user_id\":1000000000000000,\"role\":\"admin\"},{\"user_id\":1,\"role\":\"viewer\"}]"))
                .readArray(), written.getJsonArray("users"));
        assertEquals("critical", written.getString("min_severity"));
        assertFalse(written.getBoolean("quiet_non_critical"));
        assertTrue(written.getString("updated_by").startsWith("token:test admin"), written.toString());
        assertNotNull(Instant.parse(written.getString("updated_at")));

        // sealed: neither the token nor any long piece of it is in the row
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             ResultSet row = c.createStatement().executeQuery("SELECT * FROM telegram_settings")) {
            assertTrue(row.next());
            byte[] sealed = row.getBytes("token_enc");
            assertNotNull(sealed);
            String secretPart = BOT_TOKEN.substring(BOT_TOKEN.indexOf(':') + 1, BOT_TOKEN.indexOf(':') + 17);
            assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(secretPart));
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                String text = row.getString(i);
                assertFalse(text != null && text.contains(secretPart), row.getMetaData().getColumnName(i));
            }
        }

        // partial changes keep the rest; the token survives a restart (opened with the server's key)
        JsonObject partial = ok("PUT", "/api/v1/settings/telegram", "{\"min_severity\":\"info\"}");
        assertEquals(Json.createObjectBuilder(written).add("min_severity", "info")
                .add("updated_at", partial.get("updated_at")).build(), partial);
        server.close();
        server = VigilServer.start(config);
        admin = TestApi.adminToken(server.port());
        JsonObject bot = ok("GET", "/api/v1/telegram/config", null);
        assertEquals(BOT_TOKEN, bot.getString("token"));
        assertEquals(Json.createObjectBuilder(partial).remove("status").add("token", BOT_TOKEN).build(), bot);

        JsonObject replaced = ok("PUT", "/api/v1/settings/telegram", "{\"token\":\"" + OTHER_TOKEN + "\"}");
        assertEquals("…" + OTHER_TOKEN.substring(OTHER_TOKEN.length() - 4), replaced.getString("token_hint"));
        JsonObject cleared = ok("PUT", "/api/v1/settings/telegram", "{\"token\":\"\"}");
        assertFalse(cleared.getBoolean("token_set"));
        assertTrue(cleared.isNull("token_hint"));
        assertTrue(ok("GET", "/api/v1/telegram/config", null).isNull("token"));
        assertEquals(written.getJsonArray("users"), cleared.getJsonArray("users"), "only the token went");

        List<String> details = audit("event=telegram_changed").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("detail")).toList();
        assertEquals(4, details.size(), details.toString());
        assertEquals("token: removed", details.get(0));
        assertEquals("token: replaced", details.get(1));
        assertEquals("min_severity: \"critical\" → \"info\"", details.get(2));
        assertTrue(details.get(3).startsWith("token: set; chats: [] → [{\"chat_id\":-1001234567890"), details.get(3));
        String everything = audit("limit=1000").toString();
        assertFalse(everything.contains(BOT_TOKEN) || everything.contains(OTHER_TOKEN), "no token in the audit");

        ok("PUT", "/api/v1/settings/telegram", "{\"min_severity\":\"info\",\"token\":\"\"}");
        assertEquals(4, audit("event=telegram_changed").size(), "a call that changes nothing is no change");
    }

    @Test
    void theConfigWithTheTokenIsForAdminApiTokensOnly() throws Exception {
        ok("PUT", "/api/v1/settings/telegram", FULL);
        assertEquals(BOT_TOKEN, ok("GET", "/api/v1/telegram/config", null).getString("token"));

        HttpResponse<String> session = browser("GET", "/api/v1/telegram/config", null);
        assertEquals(403, session.statusCode(), session.body());
        assertTrue(object(session).getString("message").contains("API tokens only"), session.body());
        assertFalse(session.body().contains(BOT_TOKEN));
        assertEquals(403, browser("PUT", "/api/v1/telegram/status", "{\"state\":\"running\"}").statusCode());
        assertEquals(403, browser("POST", "/api/v1/telegram/refusals", "{\"user_id\":5,\"command\":\"/x\"}")
                .statusCode());
        JsonObject denied = auditOf(TestApi.ADMIN).getJsonObject(0);
        assertEquals("denied", denied.getString("result"));
        assertEquals("POST /api/v1/telegram/refusals", denied.getString("subject"));

        // the panel's routes are the browser's
        HttpResponse<String> panel = browser("GET", "/api/v1/settings/telegram", null);
        assertEquals(200, panel.statusCode(), panel.body());
        assertFalse(panel.body().contains(BOT_TOKEN));
        assertEquals(202, browser("POST", "/api/v1/telegram/requests", "{\"kind\":\"test\"}").statusCode());

        String operator = TestApi.token(server.port(), "operator");
        HttpResponse<String> low = call("GET", "/api/v1/telegram/config", null, operator);
        assertEquals(403, low.statusCode(), low.body());
        assertFalse(low.body().contains(BOT_TOKEN));
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndNothingOfTheCallIsKept() throws Exception {
        JsonObject before = ok("PUT", "/api/v1/settings/telegram", FULL);
        String chat = "{\"chat_id\":5}";
        String user = "{\"user_id\":5,\"role\":\"viewer\"}";
        Map<String, List<String>> refused = Map.ofEntries(
                Map.entry("{\"token\":\"123:tooShort\"}", List.of("token")),
                Map.entry("{\"token\":\"abc:" + "x".repeat(40) + "\"}", List.of("token")),
                Map.entry("{\"token\":\"123:" + "x".repeat(101) + "\"}", List.of("token")),
                Map.entry("{\"token\":\"123:" + "x".repeat(40) + "\\n\"}", List.of("token")),
                Map.entry("{\"token\":123}", List.of("token")),
                Map.entry("{\"chats\":[{\"chat_id\":0}]}", List.of("chats", "chat_id")),
                Map.entry("{\"chats\":[{\"chat_id\":1000000000000000}]}", List.of("chats", "chat_id")),
                Map.entry("{\"chats\":[{\"chat_id\":1.5}]}", List.of("chats", "chat_id")),
                Map.entry("{\"chats\":[{\"topic_id\":3}]}", List.of("chats", "chat_id")),
                Map.entry("{\"chats\":[{\"chat_id\":5,\"topic_id\":0}]}", List.of("chats", "topic_id")),
                Map.entry("{\"chats\":[{\"chat_id\":5,\"topic_id\":2147483648}]}", List.of("chats", "topic_id")),
                Map.entry("{\"chats\":[{\"chat_id\":5,\"thread\":1}]}", List.of("chats", "thread")),
                Map.entry("{\"chats\":[" + chat + ",{\"chat_id\":5,\"topic_id\":null}]}", List.of("chats")),
                Map.entry("{\"chats\":[" + String.join(",", IntStream.rangeClosed(1, 101)
                        .mapToObj(i -> "{\"chat_id\":" + i + "}").toList()) + "]}", List.of("chats")),
                Map.entry("{\"chats\":{\"chat_id\":5}}", List.of("chats")),
                Map.entry("{\"chats\":[5]}", List.of("chats")),
                Map.entry("{\"users\":[{\"user_id\":0,\"role\":\"viewer\"}]}", List.of("users", "user_id")),
                Map.entry("{\"users\":[{\"user_id\":1000000000000001,\"role\":\"viewer\"}]}",
                        List.of("users", "user_id")),
                Map.entry("{\"users\":[{\"user_id\":5,\"role\":\"root\"}]}", List.of("users", "role")),
                Map.entry("{\"users\":[{\"user_id\":5}]}", List.of("users", "role")),
                Map.entry("{\"users\":[" + user + "," + user.replace("viewer", "admin") + "]}", List.of("users")),
                Map.entry("{\"users\":[" + String.join(",", IntStream.rangeClosed(1, 1001)
                        .mapToObj(i -> "{\"user_id\":" + i + ",\"role\":\"viewer\"}").toList()) + "]}",
                        List.of("users")),
                Map.entry("{\"min_severity\":\"debug\"}", List.of("min_severity")),
                Map.entry("{\"quiet_non_critical\":\"yes\"}", List.of("quiet_non_critical")),
                Map.entry("{\"min_severity\":\"info\",\"users\":[{\"user_id\":-5,\"role\":\"viewer\"}]}",
                        List.of("users", "user_id")));
        for (var call : refused.entrySet()) {
            HttpResponse<String> response = call("PUT", "/api/v1/settings/telegram", call.getKey(), admin);
            assertEquals(400, response.statusCode(), call.getKey() + " → " + response.body());
            String message = object(response).getString("message");
            for (String field : call.getValue()) {
                assertTrue(message.contains("\"" + field + "\""), call.getKey() + " → " + message);
            }
            assertFalse(message.contains("tooShort") || message.contains("xxxxxxxx"), "never the token: " + message);
        }
        assertEquals(before, ok("GET", "/api/v1/settings/telegram", null), "nothing refused was kept");
        assertEquals(1, audit("event=telegram_changed").size());

        // the limits themselves are taken
        ok("PUT", "/api/v1/settings/telegram", "{\"chats\":[" + String.join(",", IntStream.rangeClosed(1, 100)
                .mapToObj(i -> "{\"chat_id\":-" + i + "}").toList()) + "],\"users\":[" + String.join(",",
                IntStream.rangeClosed(1, 1000).mapToObj(i -> "{\"user_id\":" + i + ",\"role\":\"viewer\"}")
                        .toList()) + "]}");

        Map<String, Map.Entry<String, String>> others = Map.of(
                "{}", Map.entry("/api/v1/telegram/status", "state"),
                "{\"state\":\"dancing\"}", Map.entry("/api/v1/telegram/status", "state"),
                "{\"state\":\"running\",\"env_overrides\":[\"api_url\"]}",
                Map.entry("/api/v1/telegram/status", "env_overrides"),
                "{\"state\":\"running\",\"outbox_pending\":-1}", Map.entry("/api/v1/telegram/status", "outbox_pending"),
                "{\"state\":\"running\",\"last_update_at\":\"yesterday\"}",
                Map.entry("/api/v1/telegram/status", "last_update_at"),
                "{\"kind\":\"reboot\"}", Map.entry("/api/v1/telegram/requests", "kind"),
                "{\"command\":\"/stats\"}", Map.entry("/api/v1/telegram/refusals", "user_id"),
                "{\"user_id\":5,\"command\":\" \"}", Map.entry("/api/v1/telegram/refusals", "command"));
        for (var call : others.entrySet()) {
            String path = call.getValue().getKey();
            HttpResponse<String> response = call(path.endsWith("status") ? "PUT" : "POST", path, call.getKey(), admin);
            assertEquals(400, response.statusCode(), path + " " + call.getKey() + " → " + response.body());
            assertTrue(object(response).getString("message").contains("\"" + call.getValue().getValue() + "\""),
                    path + " " + call.getKey() + " → " + response.body());
        }
        assertTrue(ok("GET", "/api/v1/settings/telegram", null).isNull("status"), "no refused report was kept");
    }

    @Test
    void changesStatusReportsAndRequestsReachTheEventStreamWithoutTheToken() throws Exception {
        try (EventStream events = new EventStream(server.port())) {
            assertEquals(": connected", events.comments.poll(10, TimeUnit.SECONDS));
            JsonObject written = ok("PUT", "/api/v1/settings/telegram", FULL);
            EventStream.Sse changed = events.next("telegram_changed", 10);
            assertEquals(Json.createObjectBuilder().add("updated_at", written.getString("updated_at"))
                    .add("updated_by", written.getString("updated_by")).build(),
                    Json.createObjectBuilder(changed.data()).remove("event_at").build());

            Instant lastUpdate = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
            String report = "{\"state\":\"error\",\"bot_username\":\"vigil_bot\","
                    + "\"last_update_at\":\"" + lastUpdate + "\",\"last_error\":\"POST https://api.telegram.org/bot"
                    + BOT_TOKEN + "/getUpdates: 502\",\"last_error_at\":\"" + lastUpdate.plusSeconds(1) + "\","
                    + "\"outbox_pending\":3,\"sent_total\":9007199254740991,\"env_overrides\":[\"chats\",\"token\"]}";
            HttpResponse<String> reported = call("PUT", "/api/v1/telegram/status", report, admin);
            assertEquals(204, reported.statusCode(), reported.body());
            EventStream.Sse status = events.next("telegram_status", 10);
            JsonObject expected = Json.createObjectBuilder(Json.createReader(new StringReader(report)).readObject())
                    .add("last_error", "POST https://api.telegram.org/bot<token>/getUpdates: 502")
                    .add("reported_at", status.data().getString("reported_at")).build();
            assertEquals(expected, Json.createObjectBuilder(status.data()).remove("event_at").build());
            assertEquals(expected, ok("GET", "/api/v1/settings/telegram", null).getJsonObject("status"));

            HttpResponse<String> asked = call("POST", "/api/v1/telegram/requests", "{\"kind\":\"warn\"}", admin);
            assertEquals(202, asked.statusCode(), asked.body());
            EventStream.Sse request = events.next("telegram_request", 10);
            assertEquals(object(asked).getString("request_id"), request.data().getString("request_id"));
            assertEquals("warn", request.data().getString("kind"));
            assertTrue(request.data().getString("requested_by").startsWith("token:test admin"));

            for (EventStream.Sse event : List.of(changed, status, request)) {
                assertFalse(event.data().toString().contains(BOT_TOKEN), event.toString());
            }
        }
    }

    private long incident(long hostId, String key) throws Exception {
        return TestDatabase.openIncident(config.database().orElseThrow(), hostId, key);
    }

    private static String[] actingFor(long user, String role) {
        return new String[] {"X-Vigil-Telegram-User", Long.toString(user), "X-Vigil-Telegram-Role", role};
    }

    @Test
    void anApiTokenActsForATelegramUserWithTheLowerRoleAndTheAuditNamesThem() throws Exception {
        long host = ok("POST", "/api/v1/hosts", "{\"name\":\"web-1\",\"url\":\"http://127.0.0.1:1\","
                + "\"token\":\"t\",\"action_token\":\"a\",\"interval_seconds\":3600}").getJsonNumber("id").longValue();
        long first = incident(host, "cpu_high");
        long second = incident(host, "disk_full");
        String reboot = ok("POST", "/api/v1/actions", "{\"host_id\":" + host + ",\"type\":\"reboot\","
                + "\"target\":\"web-1\",\"reason\":\"test\"}").getString("id");

        HttpResponse<String> acked = call("POST", "/api/v1/incidents/" + first + "/ack", "", admin,
                actingFor(11111, "operator"));
        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals("telegram:11111", ok("GET", "/api/v1/incidents/" + first, null).getString("acknowledged_by"));
        HttpResponse<String> approve = call("POST", "/api/v1/actions/" + reboot + "/approve", "", admin,
                actingFor(11111, "operator"));
        assertEquals(403, approve.statusCode(), approve.body());
        assertEquals("pending_approval", ok("GET", "/api/v1/actions/" + reboot, null).getString("status"));
        assertEquals(403, call("GET", "/api/v1/telegram/config", null, admin, actingFor(11111, "operator"))
                .statusCode());

        List<String> trail = auditOf("telegram:11111").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("event") + " " + e.getString("subject") + " " + e.getString("result", "-"))
                .toList();
        assertTrue(trail.contains("api_call GET /api/v1/telegram/config denied"), trail.toString());
        assertTrue(trail.contains("api_call POST /api/v1/actions/" + reboot + "/approve refused"), trail.toString());
        assertTrue(trail.contains("incident_acknowledged incident " + first + " -"), trail.toString());
        assertTrue(trail.contains("api_call POST /api/v1/incidents/" + first + "/ack ok"), trail.toString());

        HttpResponse<String> viewer = call("POST", "/api/v1/incidents/" + second + "/ack", "", admin,
                actingFor(22222, "viewer"));
        assertEquals(403, viewer.statusCode(), viewer.body());
        assertEquals("open", ok("GET", "/api/v1/incidents/" + second, null).getString("state"));
        assertEquals("denied", auditOf("telegram:22222").getJsonObject(0).getString("result"));

        // capped at the token's role: an operator token cannot make an admin
        String operator = TestApi.token(server.port(), "operator");
        HttpResponse<String> capped = call("GET", "/api/v1/settings/telegram", null, operator,
                actingFor(33333, "admin"));
        assertEquals(403, capped.statusCode(), capped.body());
        assertTrue(object(capped).getString("message").contains("telegram:33333 is operator"), capped.body());
        assertEquals(200, call("GET", "/api/v1/telegram/config", null, admin, actingFor(44444, "admin"))
                .statusCode(), "an admin token for an admin is an admin");
        HttpResponse<String> rejected = call("POST", "/api/v1/actions/" + reboot + "/reject", "", operator,
                actingFor(55555, "admin"));
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals("telegram:55555", object(rejected).getString("decided_by"));
    }

    @Test
    void delegationHeadersThatCannotBeTakenAreA400() throws Exception {
        List<String[]> malformed = List.of(
                new String[] {"X-Vigil-Telegram-User", "11111"},
                new String[] {"X-Vigil-Telegram-Role", "operator"},
                actingFor(0, "operator"),
                new String[] {"X-Vigil-Telegram-User", "1234567890123456", "X-Vigil-Telegram-Role", "viewer"},
                new String[] {"X-Vigil-Telegram-User", "-5", "X-Vigil-Telegram-Role", "viewer"},
                new String[] {"X-Vigil-Telegram-User", "12a", "X-Vigil-Telegram-Role", "viewer"},
                actingFor(11111, "root"),
                actingFor(11111, "Admin"),
                new String[] {"X-Vigil-Telegram-User", "1", "X-Vigil-Telegram-User", "2",
                        "X-Vigil-Telegram-Role", "viewer"});
        for (String[] headers : malformed) {
            HttpResponse<String> response = call("GET", "/api/v1/stats", null, admin, headers);
            assertEquals(400, response.statusCode(), List.of(headers) + " → " + response.body());
            assertTrue(object(response).getString("message").contains("X-Vigil-Telegram-"), response.body());
        }
        HttpResponse<String> fromBrowser = browser("GET", "/api/v1/stats", null, actingFor(11111, "viewer"));
        assertEquals(400, fromBrowser.statusCode(), fromBrowser.body());
        assertTrue(object(fromBrowser).getString("message").contains("not for a browser session"));
        HttpResponse<String> anonymous = call("GET", "/api/v1/stats", null, null, actingFor(11111, "viewer"));
        assertEquals(400, anonymous.statusCode(), anonymous.body());
        assertEquals(401, call("GET", "/api/v1/stats", null, "not-a-token", actingFor(11111, "viewer"))
                .statusCode(), "a credential that does not hold is still a 401");
        JsonObject refused = auditOf(TestApi.ADMIN).getJsonObject(0);
        assertEquals("refused", refused.getString("result"));
        assertTrue(refused.getString("detail").startsWith("400 "), refused.toString());
        assertEquals(200, call("GET", "/api/v1/stats", null, admin, actingFor(7, "viewer")).statusCode());
    }

    @Test
    void aRefusedTelegramUserIsAuditedUnderTheirId() throws Exception {
        HttpResponse<String> response = call("POST", "/api/v1/telegram/refusals",
                "{\"user_id\":987654321,\"username\":\"mallory\",\"command\":\"/reboot web-1\"}", admin);
        assertEquals(204, response.statusCode(), response.body());
        assertEquals(204, call("POST", "/api/v1/telegram/refusals", "{\"user_id\":987654321,\"username\":null,"
                + "\"command\":\"approve:1234\"}", admin).statusCode());
        JsonArray entries = auditOf("telegram:987654321");
        assertEquals(2, entries.size(), entries.toString());
        JsonObject withName = entries.getJsonObject(1);
        assertEquals("telegram_refused", withName.getString("event"));
        assertEquals("denied", withName.getString("result"));
        assertEquals("/reboot web-1 (username mallory)", withName.getString("detail"));
        assertEquals("approve:1234 (no username)", entries.getJsonObject(0).getString("detail"));
        assertEquals(JsonValue.ValueType.STRING, withName.get("address").getValueType());
    }
}
