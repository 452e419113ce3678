package dev.vigil.telegram;

import static dev.vigil.telegram.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationsTest {
    private static final ChatTarget GROUP = new ChatTarget(-1001, Optional.of(7));
    private static final ChatTarget PRIVATE = ChatTarget.of(555);
    private static final String HOSTILE = "<b>web</b> & \"db\"";

    @TempDir
    Path dataDir;
    private final RecordingTelegram telegram = new RecordingTelegram();
    private Notifications.Delivery delivery = new Notifications.Delivery(List.of(GROUP), "warning", true);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aBurstOfFiveHundredIncidentsBecomesAFewMessagesWithinTelegramsLength() {
        Notifications notifications = notifications();
        for (int id = 1; id <= 500; id++) {
            notifications.incident(incident(id, 1, "critical", "open"), false);
        }
        notifications.start();
        waitFor(() -> notifications.outbox().pending() == 0);
        List<RecordingTelegram.Call> sends = telegram.sends();
        assertTrue(sends.size() <= 30, sends.size() + " messages");
        List<Long> ids = new ArrayList<>();
        for (RecordingTelegram.Call send : sends) {
            assertTrue(send.html().length() <= 4096, "a message of " + send.html().length());
            assertEquals(GROUP.topicId(), send.topic());
            Matcher id = Pattern.compile("\\(#(\\d+)\\)").matcher(send.html());
            while (id.find()) {
                ids.add(Long.parseLong(id.group(1)));
            }
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 500).boxed().toList(), ids,
                "every incident once, in order");
    }

    @Test
    void anIncidentsMessageIsEditedWhenAcknowledgedAndResolved() {
        Notifications notifications = notifications();
        notifications.start();
        notifications.incident(incident(9, 1, "critical", "open"), false);
        waitFor(() -> telegram.sends().size() == 1);
        RecordingTelegram.Call sent = telegram.sends().get(0);
        assertTrue(sent.buttons().isPresent(), "a single incident carries acknowledge and mute");
        assertFalse(sent.quiet(), "critical");

        notifications.incident(incident(9, 1, "critical", "acknowledged"), false);
        waitFor(() -> telegram.edits().size() == 1);
        notifications.incident(incident(9, 1, "critical", "resolved"), false);
        waitFor(() -> telegram.edits().size() == 2);
        RecordingTelegram.Call edit = telegram.edits().get(1);
        assertEquals(sent.messageId(), edit.messageId());
        assertTrue(edit.html().contains("resolved"), edit.html());
        assertTrue(edit.buttons().isEmpty());
        notifications.incident(incident(9, 1, "critical", "acknowledged"), false);
        notifications.incident(incident(9, 1, "critical", "resolved"), false);
        assertEquals(1, telegram.sends().size(), "never a second message");
        assertEquals(2, telegram.edits().size(), "a stale or repeated state changes nothing");
    }

    @Test
    void anIncidentResolvedBeforeItsTurnGoesOutOnceWithItsNewText() {
        Notifications notifications = notifications();
        notifications.incident(incident(3, 1, "warning", "open"), false);
        notifications.incident(incident(3, 1, "warning", "resolved"), false);
        notifications.start();
        waitFor(() -> notifications.outbox().pending() == 0);
        assertEquals(1, telegram.calls.size());
        assertTrue(telegram.sends().get(0).html().contains("resolved"));
    }

    @Test
    void onlyIncidentsFromTheLeastSeverityOnAreNotifiedAndNonCriticalOnesQuietly() {
        Notifications notifications = notifications();
        notifications.start();
        notifications.incident(incident(1, 1, "info", "open"), false);
        notifications.incident(incident(2, 1, "warning", "open"), false);
        waitFor(() -> telegram.sends().size() == 1);
        assertTrue(telegram.sends().get(0).html().contains("#2"));
        assertTrue(telegram.sends().get(0).quiet());
        notifications.incident(incident(4, 1, "warning", "resolved"), false);
        delivery = new Notifications.Delivery(List.of(GROUP), "warning", false);
        notifications.incident(incident(5, 1, "warning", "open"), false);
        waitFor(() -> telegram.sends().size() == 2);
        assertFalse(telegram.sends().get(1).quiet(), "quiet non-critical switched off from the panel");
        assertFalse(telegram.sends().get(1).html().contains("#4"), "resolved before it was ever news");
    }

    @Test
    void anApprovalIsAMessageOfItsOwnWithButtonsEditedWhenDecided() {
        Notifications notifications = notifications();
        UUID id = UUID.randomUUID();
        notifications.incident(incident(1, 1, "critical", "open"), false);
        notifications.action(action(id, "pending_approval"));
        notifications.incident(incident(2, 1, "critical", "open"), false);
        notifications.start();
        waitFor(() -> notifications.outbox().pending() == 0);
        List<RecordingTelegram.Call> sends = telegram.sends();
        assertEquals(3, sends.size(), "the approval does not join the incidents around it");
        assertEquals(Optional.of(Buttons.approval(id)), sends.get(1).buttons());
        notifications.action(action(id, "approved"));
        notifications.action(action(id, "succeeded"));
        waitFor(() -> telegram.sends().size() == 4 && !telegram.edits().isEmpty());
        assertTrue(telegram.edits().get(0).buttons().isEmpty(), "no buttons on a decided approval");
        assertTrue(telegram.sends().get(3).html().contains("succeeded"));
    }

    @Test
    void hostileNamesAndTextAreEscaped() {
        Notifications notifications = notifications();
        notifications.start();
        notifications.incident(incident(1, 1, "critical", "open"), false);
        notifications.incident(incident(2, 1, "critical", "open"), false);
        notifications.incident(incident(3, 1, "critical", "open"), false);
        waitFor(() -> notifications.outbox().pending() == 0);
        for (RecordingTelegram.Call call : telegram.calls) {
            assertTrue(call.html().contains("&lt;b&gt;web&lt;/b&gt; &amp; &quot;db&quot;"), call.html());
            assertFalse(call.html().contains("<b>web"), call.html());
            assertFalse(call.html().contains("<script"), call.html());
        }
    }

    @Test
    void whatWasPendingAtACrashIsSentExactlyOnceAfterTheRestart() {
        telegram.down = true;
        Notifications first = notifications();
        first.start();
        first.incident(incident(1, 1, "critical", "open"), false);
        first.incident(incident(2, 1, "critical", "open"), false);
        first.outbox().cursor(42);
        first.close(); // the senders stop; the outbox is left as a crash leaves it (not closed)

        telegram.down = false;
        Notifications second = notifications();
        assertEquals(Optional.of(42L), second.outbox().cursor());
        second.start();
        waitFor(() -> second.outbox().pending() == 0);
        assertEquals(1, telegram.sends().size());
        assertTrue(telegram.sends().get(0).html().contains("#1") && telegram.sends().get(0).html().contains("#2"));
        second.close();

        Notifications third = notifications();
        third.start();
        third.incident(incident(2, 1, "critical", "resolved"), false);
        waitFor(() -> telegram.edits().size() == 1);
        assertEquals(1, telegram.sends().size(), "nothing sent twice across restarts");
        assertEquals(telegram.sends().get(0).messageId(), telegram.edits().get(0).messageId(),
                "the restarted bot still knows which message to edit");
    }

    @Test
    void aTornLastLineIsSkipped() throws Exception {
        Notifications first = notifications();
        first.incident(incident(1, 1, "critical", "open"), false);
        first.outbox().cursor(7);
        Files.writeString(dataDir.resolve("telegram/outbox.jsonl"), "{\"t\":\"note\",\"note\":{\"key\":\"i:2\",\"ver",
                StandardOpenOption.APPEND);

        Notifications second = notifications();
        assertEquals(Optional.of(7L), second.outbox().cursor());
        assertTrue(second.outbox().note("i:1").isPresent());
        assertTrue(second.outbox().note("i:2").isEmpty());
        second.start();
        waitFor(() -> second.outbox().pending() == 0);
        assertEquals(1, telegram.sends().size());
        second.incident(incident(3, 1, "critical", "open"), false);
        waitFor(() -> telegram.sends().size() == 2);
    }

    private Notifications notifications() {
        Outbox outbox = Outbox.open(dataDir);
        HostNames hosts = new HostNames(() -> ServerApi.JSON.createArrayBuilder()
                .add(ServerApi.JSON.createObjectBuilder().add("id", 1).add("name", HOSTILE)).build(),
                InstantSource.system());
        Notifications notifications = new Notifications(telegram, () -> delivery, outbox, hosts,
                InstantSource.system(), Duration.ofMillis(20));
        open.add(outbox);
        open.add(notifications);
        return notifications;
    }

    private static JsonObject incident(long id, long hostId, String severity, String state) {
        var json = ServerApi.JSON.createObjectBuilder().add("id", id).add("host_id", hostId)
                .add("key", "cpu").add("kind", "cpu").add("subject", "cpu <script>").add("severity", severity)
                .add("message", "load is high & rising").add("state", state)
                .add("first_seen", Instant.now().toString());
        if (!state.equals("open")) {
            json.add("acknowledged_by", "ops<1>");
        }
        return json.build();
    }

    private static JsonObject action(UUID id, String status) {
        return ServerApi.JSON.createObjectBuilder().add("id", id.toString()).add("host_id", 1)
                .add("type", "restart_service").add("target", "nginx.service").add("reason", "down")
                .add("status", status).add("detail", "").add("incident_id", 1).build();
    }
}
