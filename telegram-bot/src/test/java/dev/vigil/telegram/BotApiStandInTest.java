package dev.vigil.telegram;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stand-in answers telegrambots' real client as the Bot API does, so the bot's tests can trust it. */
class BotApiStandInTest {
    private static final String TOKEN = "123456:stand-in-token-aaaaaaaaaaaaaaaaaaaaaaaaa";
    private BotApiStandIn telegram;
    private OkHttpTelegramClient client;

    @BeforeEach
    void start() {
        telegram = BotApiStandIn.start(TOKEN);
        URI url = URI.create(telegram.url());
        client = new OkHttpTelegramClient(TOKEN, new TelegramUrl(url.getScheme(), url.getHost(), url.getPort(),
                false));
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void sendsEditsAndRefusesWhatTelegramRefuses() throws Exception {
        assertEquals(BotApiStandIn.BOT_USERNAME, client.execute(new GetMe()).getUserName());
        Message sent = client.execute(SendMessage.builder().chatId(-100L).text("<b>web-1</b> &amp; db")
                .parseMode("HTML").build());
        assertEquals("web-1 & db", telegram.chat(-100).getFirst().text());

        client.execute(EditMessageText.builder().chatId(-100L).messageId(sent.getMessageId())
                .text("<b>web-1</b> resolved").parseMode("HTML").build());
        assertEquals("web-1 resolved", telegram.chat(-100).getFirst().text());
        TelegramApiRequestException unchanged = assertThrows(TelegramApiRequestException.class, () ->
                client.execute(EditMessageText.builder().chatId(-100L).messageId(sent.getMessageId())
                        .text("<b>web-1</b> resolved").parseMode("HTML").build()));
        assertTrue(unchanged.getApiResponse().contains("message is not modified"), unchanged.getApiResponse());

        TelegramApiRequestException badHtml = assertThrows(TelegramApiRequestException.class, () ->
                client.execute(SendMessage.builder().chatId(-100L).text("host <script>").parseMode("HTML").build()));
        assertEquals(400, badHtml.getErrorCode());
        assertEquals(1, telegram.sent().size());
        assertEquals(1, telegram.breaches().size(), "an edit right after the send breaks the 1/s chat limit");
    }

    @Test
    void scriptedTooManyRequestsCarriesRetryAfter() {
        telegram.failNext("sendMessage", 1, BotApiStandIn.Fault.tooManyRequests(7));
        TelegramApiRequestException limited = assertThrows(TelegramApiRequestException.class, () ->
                client.execute(SendMessage.builder().chatId(5L).text("hi").build()));
        assertEquals(429, limited.getErrorCode());
        assertEquals(7, limited.getParameters().getRetryAfter());
    }

    @Test
    void aSecondLongPollerOfTheSameTokenEndsTheFirstWith409() throws Exception {
        var first = Thread.ofVirtual().start(() -> call("getUpdates", "{\"offset\":0,\"timeout\":20}"));
        telegram.await("the first poll", Duration.ofSeconds(5), t -> true);
        Thread.sleep(300);
        Thread.ofVirtual().start(() -> call("getUpdates", "{\"offset\":0,\"timeout\":1}"));
        telegram.await("a 409 for the first poller", Duration.ofSeconds(10), t -> t.calls().stream()
                .anyMatch(c -> c.method().equals("getUpdates") && c.status() == 409));
        first.join(Duration.ofSeconds(5));
    }

    private void call(String method, String body) {
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            URI.create(telegram.url() + "/bot" + TOKEN + "/" + method))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
