package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Telegram poller lease on the real database: one holder at a time, renewed by its holder, taken by another
 * once released or expired (a 3 s TTL here), refused clearly for a bad holder; and a standby bot's status report
 * does not hide the polling bot's.
 */
class TelegramLeaseApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TTL = Duration.ofSeconds(3);

    private static VigilServer server;
    private static String admin;

    @BeforeAll
    static void start() {
        server = VigilServer.start(TestDatabase.serverConfig().withTelegramLeaseTtl(TTL));
        admin = TestApi.adminToken(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + admin)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject lease(String holder, boolean release) throws Exception {
        HttpResponse<String> response = call("POST", "/api/v1/telegram/lease", Json.createObjectBuilder()
                .add("holder", holder).add("release", release).build().toString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject answer(boolean held, String holder) {
        return Json.createObjectBuilder().add("held", held).add("holder", holder).add("ttl_seconds", 3).build();
    }

    @Test
    void oneHolderAtATimeUntilItReleasesOrItsLeaseExpires() throws Exception {
        assertEquals(answer(true, "bot-a"), lease("bot-a", false));
        assertEquals(answer(false, "bot-a"), lease("bot-b", false), "the second is refused");
        assertEquals(answer(true, "bot-a"), lease("bot-a", false), "the holder renews");
        assertEquals(answer(false, "bot-a"), lease("bot-b", true), "only the holder can release");

        JsonObject released = lease("bot-a", true);
        assertFalse(released.getBoolean("held"));
        assertEquals(JsonValue.NULL, released.get("holder"), "nobody holds it once released");
        assertEquals(answer(true, "bot-b"), lease("bot-b", false), "the second takes it after the release");
        assertEquals(answer(false, "bot-b"), lease("bot-a", false));

        // bot-b stops renewing: bot-a takes over once the lease has expired, in the database's time
        long deadline = System.nanoTime() + TTL.multipliedBy(3).toNanos();
        JsonObject claimed;
        do {
            Thread.sleep(250);
            claimed = lease("bot-a", false);
        } while (!claimed.getBoolean("held") && System.nanoTime() < deadline);
        assertEquals(answer(true, "bot-a"), claimed, "taken over after the TTL");
        assertEquals(answer(false, "bot-a"), lease("bot-b", false));
        lease("bot-a", true);
    }

    @Test
    void aBadHolderIsA400WithoutAStackTrace() throws Exception {
        for (String body : new String[]{"{\"holder\":\"\"}", "{\"holder\":\"   \"}", "{}", "{\"holder\":7}",
                "{\"holder\":\"" + "x".repeat(129) + "\"}", "{\"holder\":\"a\\u0007b\"}",
                "{\"holder\":\"a\",\"release\":\"yes\"}", "{\"holder\":\"a\",\"mine\":true}"}) {
            HttpResponse<String> response = call("POST", "/api/v1/telegram/lease", body);
            assertEquals(400, response.statusCode(), body + " → " + response.body());
            String message = Json.createReader(new StringReader(response.body())).readObject().getString("message");
            assertTrue(message.contains("holder") || message.contains("release") || message.contains("mine"),
                    body + " → " + message);
            assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), response.body());
        }
        assertEquals(answer(true, "x".repeat(128)), lease("x".repeat(128), false), "128 characters are fine");
        lease("x".repeat(128), true);
    }

    @Test
    void aStandbyReportDoesNotHideThePollingBotsReport() throws Exception {
        assertEquals(204, call("PUT", "/api/v1/telegram/status", "{\"state\":\"running\"}").statusCode());
        assertEquals(204, call("PUT", "/api/v1/telegram/status", "{\"state\":\"standby\"}").statusCode());
        assertEquals("running", shownState());
        assertEquals(204, call("PUT", "/api/v1/telegram/status", "{\"state\":\"stopped\"}").statusCode());
        assertEquals(204, call("PUT", "/api/v1/telegram/status", "{\"state\":\"standby\"}").statusCode());
        assertEquals("standby", shownState(), "a stopped bot's report gives way");
    }

    private static String shownState() throws Exception {
        HttpResponse<String> response = call("GET", "/api/v1/settings/telegram", "");
        return Json.createReader(new StringReader(response.body())).readObject().getJsonObject("status")
                .getString("state");
    }
}
