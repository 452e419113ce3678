package dev.vigil.telegram;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notifications end to end: incidents made by the real rules on the real server reach the Bot API stand-in through
 * the bot's event feed, outbox and courier — grouped, edited instead of repeated, within Telegram's limits.
 */
class NotificationsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private BotHarness harness;
    private BotApiStandIn telegram;

    @BeforeEach
    void start() throws Exception {
        harness = BotHarness.start();
        telegram = harness.telegram;
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<BotApiStandIn.Message> group() {
        return telegram.chat(BotHarness.GROUP);
    }

    @Test
    void anIncidentsMessageIsEditedWhenItResolvesNotRepeated() throws Exception {
        long web = harness.host("web-1");
        harness.startBot();
        harness.disks(web, "web-1", 95);
        telegram.await("the incident's message", WAIT, t -> group().size() == 1);
        BotApiStandIn.Message opened = group().getFirst();
        assertTrue(opened.text().contains("web-1") && opened.text().contains("warning"), opened.text());
        assertTrue(opened.silent(), "a warning is delivered quietly (quiet_non_critical)");
        assertTrue(opened.buttons().stream().flatMap(List::stream).anyMatch(data -> data.startsWith("k:")),
                "a single incident offers acknowledge: " + opened.buttons());

        harness.disks(web, "web-1", 50);
        telegram.await("the message edited to resolved", WAIT, t -> group().getFirst().text().contains("resolved"));
        assertEquals(1, telegram.sent().size(), "resolving edits the message instead of sending another");
        assertEquals(opened.messageId(), group().getFirst().messageId());
        assertEquals(List.of(), telegram.breaches());
    }

    @Test
    void aBurstOfFiveHundredIncidentsIsAFewMessagesWithinTheLimits() throws Exception {
        long web = harness.host("web-1");
        harness.startBot();
        double[] full = new double[500];
        java.util.Arrays.fill(full, 95);
        harness.disks(web, "web-1", full);
        List<Long> ids = harness.openIncidents(web, 500).stream().map(i -> i.getJsonNumber("id").longValue())
                .toList();
        telegram.await("all 500 incidents told", Duration.ofSeconds(120), t -> {
            String all = String.join("\n", group().stream().map(BotApiStandIn.Message::text).toList());
            return ids.stream().allMatch(id -> all.contains("#" + id));
        });
        int messages = telegram.sent().size();
        System.out.println("Telegram burst: 500 incidents from one poll in " + messages + " messages");
        assertTrue(messages <= 25, "500 incidents in " + messages + " messages");
        for (long id : ids) {
            assertEquals(1, telegram.sent().stream().filter(m -> m.text().contains("#" + id + ")")
                    || m.text().contains("#" + id + " ") || m.text().endsWith("#" + id)).count(),
                    "incident " + id + " is told exactly once");
        }
        assertTrue(telegram.sent().stream().allMatch(m -> m.text().length() <= 4096));
        assertEquals(List.of(), telegram.breaches());
    }

    @Test
    void aTooManyRequestsAnswerIsHonouredForItsRetryAfter() throws Exception {
        long web = harness.host("web-1");
        harness.startBot();
        telegram.failNext("sendMessage", 1, BotApiStandIn.Fault.tooManyRequests(3));
        harness.disks(web, "web-1", 95);
        telegram.await("the incident's message after the 429", WAIT, t -> group().size() == 1);
        List<BotApiStandIn.Call> sends = telegram.calls().stream().filter(c -> c.method().equals("sendMessage"))
                .toList();
        assertEquals(List.of(429, 200), sends.stream().map(BotApiStandIn.Call::status).toList());
        long waited = sends.get(1).atMillis() - sends.get(0).atMillis();
        assertTrue(waited >= 3000, "the retry came " + waited + " ms after the 429 with retry_after 3");
    }

    @Test
    void hostileTextFromAnAgentIsShownAsWrittenNeverAsMarkup() throws Exception {
        long web = harness.host("web-1");
        harness.startBot();
        String hostile = "/mnt/<b>x</b>&amp;\"<a href=\"https://evil.example\">";
        harness.agents.serve("web-1", jakarta.json.Json.createObjectBuilder(BotHarness.disksSnapshot(95))
                .add("disk_usage", jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json.createObjectBuilder()
                        .add("mountpoint", hostile).add("device", "/dev/x").add("fstype", "ext4").add("total", 100)
                        .add("used", 95).add("free", 5).add("percent", 95))).build());
        harness.poll(web);
        telegram.await("the incident's message", WAIT, t -> group().size() == 1);
        BotApiStandIn.Message message = group().getFirst();
        assertTrue(message.text().contains(hostile), "the reader sees the mountpoint as written: " + message.text());
        assertTrue(!message.html().contains("<a ") && !message.html().contains("<b>x"), message.html());
    }

    @Test
    void aChangeInThePanelAppliesLiveWithoutARestart() throws Exception {
        long web = harness.host("web-1");
        harness.startBot();
        harness.disks(web, "web-1", 95);
        telegram.await("the first incident in the group", WAIT, t -> group().size() == 1);

        long newChat = 424242;
        harness.api("PUT", "/api/v1/settings/telegram", jakarta.json.Json.createObjectBuilder()
                .add("chats", jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json.createObjectBuilder()
                        .add("chat_id", newChat).add("topic_id", 7)))
                .add("min_severity", "critical").build());
        harness.disks(web, "web-1", 50, 95);
        harness.disks(web, "web-1", 50, 99);
        telegram.await("the critical incident in the new chat", WAIT, t -> t.chat(newChat).stream()
                .anyMatch(m -> m.text().contains("critical")));
        assertEquals(java.util.Optional.of(7), telegram.chat(newChat).getFirst().topicId());
        assertTrue(telegram.chat(newChat).stream().noneMatch(m -> m.text().contains("warning")),
                "the warning stays below the new threshold");
        assertTrue(group().stream().noneMatch(m -> m.text().contains("/d1")), "the old chat is no longer told");
    }

    @Test
    void anotherPollerOfTheSameTokenIsDetectedAndShownInThePanel() throws Exception {
        harness.startBot();
        // a poller outside this cluster (a forgotten copy with another server) ends the bot's long poll: Telegram
        // answers the older poll 409
        java.net.http.HttpRequest outside = java.net.http.HttpRequest.newBuilder(java.net.URI.create(telegram.url()
                        + "/bot" + BotHarness.BOT_TOKEN + "/getUpdates")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"timeout\":0}")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state = "";
        while (!state.equals("conflict") && System.nanoTime() < deadline) {
            java.net.http.HttpClient.newHttpClient().send(outside, java.net.http.HttpResponse.BodyHandlers.discarding());
            Thread.sleep(200);
            jakarta.json.JsonValue status = harness.api("GET", "/api/v1/settings/telegram", null).asJsonObject()
                    .get("status");
            state = status instanceof jakarta.json.JsonObject s ? s.getString("state") : "";
        }
        assertEquals("conflict", state, "the panel shows the conflict");
        assertTrue(telegram.calls().stream().anyMatch(c -> c.method().equals("getUpdates") && c.status() == 409));
    }

    @Test
    void thePanelsSendNowButtonsReachEveryNotificationChat() throws Exception {
        long web = harness.host("web-1");
        harness.startBot();
        harness.disks(web, "web-1", 95);
        telegram.await("an incident, so the bot reads the event stream", WAIT, t -> group().size() == 1);
        harness.api("POST", "/api/v1/telegram/requests", jakarta.json.Json.createObjectBuilder()
                .add("kind", "stats").build());
        harness.api("POST", "/api/v1/telegram/requests", jakarta.json.Json.createObjectBuilder()
                .add("kind", "test").build());
        telegram.await("/stats and the test message in the group", WAIT, t -> group().size() == 3);
        // two requests, handled side by side: either may arrive first
        List<String> answers = group().subList(1, 3).stream().map(BotApiStandIn.Message::text).toList();
        assertTrue(answers.stream().anyMatch(text -> text.contains("Hosts: 1")), answers.toString());
        assertTrue(answers.stream().anyMatch(text -> text.contains("Vigil test message from token:")),
                answers.toString());
    }
}
