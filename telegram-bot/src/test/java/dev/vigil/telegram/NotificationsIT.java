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
}
