package dev.vigil.telegram;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two bot processes on one server: only the holder of the poller lease calls Telegram (each bot has a Bot API
 * stand-in of its own, so which bot called is plain), the other stands by; when the holder stops, the other takes
 * over within about one lease TTL, long-polls, and notifies, the incident still open included.
 */
class PollerLeaseIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private BotHarness harness;
    private BotApiStandIn secondTelegram;

    @BeforeEach
    void start() throws Exception {
        harness = BotHarness.start();
        secondTelegram = BotApiStandIn.start(BotHarness.BOT_TOKEN);
    }

    @AfterEach
    void stop() {
        harness.close();
        secondTelegram.close();
    }

    private String panelState() throws Exception {
        return harness.api("GET", "/api/v1/settings/telegram", null).asJsonObject().getJsonObject("status")
                .getString("state");
    }

    @Test
    void oneOfTwoBotsPollsAndTheOtherTakesOverWhenItStops() throws Exception {
        long web = harness.host("web-1");
        Bot first = harness.startBot();
        assertEquals(StatusReporter.State.RUNNING, awaitRunning(first));
        try (Bot second = harness.startOtherBot("second-bot", secondTelegram.url())) {
            assertEquals(StatusReporter.State.STANDBY, second.status().state());
            harness.disks(web, "web-1", 95);
            harness.telegram.await("the incident from the holder", WAIT, t -> t.chat(BotHarness.GROUP).size() == 1);
            Thread.sleep(BotHarness.LEASE_TTL.toMillis()); // three renewals of both
            assertEquals(List.of(), secondTelegram.calls(), "the standby never calls Telegram, getUpdates least");
            assertEquals(StatusReporter.State.STANDBY, second.status().state());
            assertEquals("running", panelState(), "the standby's report does not hide the holder's");

            long stopped = System.nanoTime();
            harness.stopBot();
            secondTelegram.await("the second bot's long poll", WAIT, t -> t.calls().stream()
                    .anyMatch(c -> c.method().equals("getMe")));
            long tookOver = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            assertTrue(tookOver < BotHarness.LEASE_TTL.toMillis(), "took over in " + tookOver + " ms");
            awaitRunning(second);

            BotApiStandIn.Message reply = answer(BotHarness.ADMIN, "/help");
            assertTrue(!reply.text().isBlank(), "the new holder polls and answers commands");
            secondTelegram.await("the incident still open, from the new holder", WAIT, t -> t.chat(BotHarness.GROUP)
                    .stream().anyMatch(m -> m.text().contains("warning")));
            harness.disks(web, "web-1", 95, 99);
            secondTelegram.await("a new incident from the new holder", WAIT, t -> t.chat(BotHarness.GROUP).stream()
                    .anyMatch(m -> m.text().contains("critical")));
            assertEquals(1, harness.telegram.chat(BotHarness.GROUP).size(), "the first bot sent nothing more");
            assertEquals(List.of(), secondTelegram.breaches());
        }
    }

    private StatusReporter.State awaitRunning(Bot bot) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (bot.status().state() != StatusReporter.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return bot.status().state();
    }

    private BotApiStandIn.Message answer(long user, String text) throws InterruptedException {
        secondTelegram.userSays(user, user, text);
        secondTelegram.await("a reply to " + text, WAIT, t -> !t.chat(user).isEmpty());
        return secondTelegram.chat(user).getFirst();
    }
}
