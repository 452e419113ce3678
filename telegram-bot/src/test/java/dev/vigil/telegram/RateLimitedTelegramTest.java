package dev.vigil.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;

/** The real telegrambots client against a scripted Bot API on loopback; waits happen on a fake clock. */
class RateLimitedTelegramTest {
    private static final String TOKEN = "123:test";
    private static final String SENT = "{\"ok\":true,\"result\":{\"message_id\":77,\"date\":1700000000,"
            + "\"chat\":{\"id\":5,\"type\":\"private\"}}}";

    private record Answer(int status, String body) {
    }

    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer api;
    private final FakeTime time = new FakeTime();
    private final RateLimitedTelegram telegram;

    RateLimitedTelegramTest() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer answer = script.isEmpty() ? new Answer(200, SENT) : script.removeFirst();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        String url = "http://127.0.0.1:" + api.getAddress().getPort();
        telegram = new RateLimitedTelegram(new OkHttpTelegramClient(TOKEN, RateLimitedTelegram.url(url)), time, time,
                Duration.ofMinutes(2));
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    @Test
    void aMessageIsHtmlInItsTopicAndA429IsRetriedAfterItsRetryAfter() {
        script.add(new Answer(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after"
                + " 7\",\"parameters\":{\"retry_after\":7}}"));
        long id = telegram.send(new ChatTarget(-100, Optional.of(42)), "<b>hi</b>", Optional.empty(), true);
        assertEquals(77, id);
        assertEquals(2, requests.size());
        assertTrue(time.sleeps.contains(Duration.ofSeconds(7)), time.sleeps.toString());
        String sent = requests.get(1).toLowerCase(Locale.ROOT);
        assertTrue(sent.startsWith("/bot" + TOKEN + "/sendmessage"), sent);
        assertTrue(sent.contains("\"parse_mode\":\"html\"") && sent.contains("\"message_thread_id\":42")
                && sent.contains("\"disable_notification\":true"), sent);
    }

    @Test
    void a5xxIsRetriedWithBackoffAndAnUnchangedEditIsDone() {
        script.add(new Answer(502, "<html>bad gateway</html>"));
        script.add(new Answer(500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}"));
        assertEquals(77, telegram.send(ChatTarget.of(5), "x", Optional.empty(), false));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), time.sleeps);

        script.add(new Answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is not"
                + " modified: specified new message content and reply markup are exactly the same\"}"));
        telegram.edit(5, 77, "x", Optional.empty());
    }

    @Test
    void aRefusalIsAFailureThatIsNotRetried() {
        script.add(new Answer(403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was kicked\"}"));
        Telegram.Failure failure = assertThrows(Telegram.Failure.class,
                () -> telegram.send(ChatTarget.of(5), "x", Optional.empty(), false));
        assertEquals(403, failure.status());
        assertFalse(failure.retryable());
        assertEquals(1, requests.size());
    }

    @Test
    void anUnreachableApiIsRetriedUntilThePatienceRunsOut() {
        api.stop(0);
        Telegram.Failure failure = assertThrows(Telegram.Failure.class,
                () -> telegram.send(ChatTarget.of(5), "x", Optional.empty(), false));
        assertTrue(failure.retryable());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16), Duration.ofSeconds(32)), time.sleeps, "doubling, within two minutes");
    }

    @Test
    void aButtonPressIsAnsweredWithinTelegramsWindowOrNotAtAll() {
        api.stop(0);
        assertThrows(Telegram.Failure.class, () -> telegram.answer("query-1", "Approved"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), time.sleeps,
                "given up within 10 s: Telegram forgets a press after about 15 s");
    }

    @Test
    void theApiUrlIsSchemeHostAndPort() {
        assertEquals("api.telegram.org", RateLimitedTelegram.url("https://api.telegram.org").getHost());
        assertEquals(443, RateLimitedTelegram.url("https://api.telegram.org/").getPort());
        assertEquals(8081, RateLimitedTelegram.url("http://127.0.0.1:8081").getPort());
        assertThrows(IllegalArgumentException.class, () -> RateLimitedTelegram.url("ftp://x"));
        assertThrows(IllegalArgumentException.class, () -> RateLimitedTelegram.url("https://x/bot"));
    }
}
