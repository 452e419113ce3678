package dev.vigil.telegram;

import static dev.vigil.telegram.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
    private static final ChatTarget CHAT = ChatTarget.of(555);

    @TempDir
    Path dataDir;
    private final RecordingTelegram telegram = new RecordingTelegram();
    private final List<String> asked = new ArrayList<>();
    private Outbox outbox;
    private Notifications notifications;

    @AfterEach
    void close() {
        notifications.close();
        outbox.close();
    }

    @Test
    void aGapIsCaughtUpWithoutRepeatingWhatWasNotified() {
        outbox = Outbox.open(dataDir);
        notifications = new Notifications(telegram, () -> new Notifications.Delivery(List.of(CHAT), "warning", false),
                outbox, new HostNames(() -> JsonValue.EMPTY_JSON_ARRAY, InstantSource.system()),
                InstantSource.system(), Duration.ofMillis(20));
        notifications.start();
        notifications.incident(incident(1, "open"), false);
        waitFor(() -> telegram.sends().size() == 1);

        UUID approval = UUID.randomUUID();
        Map<String, JsonValue> server = Map.of(
                "/api/v1/incidents?limit=5000&from=2001-02-03T03:55:00Z",
                array(incident(3, "open"), incident(4, "resolved")),
                "/api/v1/incidents?state=open&limit=5000", array(incident(3, "open")),
                "/api/v1/incidents?state=acknowledged&limit=5000", JsonValue.EMPTY_JSON_ARRAY,
                "/api/v1/incidents/1", incident(1, "resolved"),
                "/api/v1/actions?status=pending_approval&limit=5000", array(action(approval)),
                "/api/v1/actions?limit=5000&from=2001-02-03T03:55:00Z", array(action(approval)));
        Reconciler reconciler = new Reconciler(path -> {
            asked.add(path);
            return Optional.ofNullable(server.get(path)).orElseThrow(() -> new AssertionError(path));
        }, notifications, outbox);
        Optional<Instant> lastEvent = Optional.of(Instant.parse("2001-02-03T04:00:00Z"));
        reconciler.catchUp(lastEvent);
        waitFor(() -> outbox.pending() == 0 && telegram.edits().size() == 1);
        reconciler.catchUp(lastEvent);

        List<RecordingTelegram.Call> sends = telegram.sends();
        List<String> told = new ArrayList<>();
        for (RecordingTelegram.Call send : sends) {
            Matcher id = Pattern.compile("#\\d+|Approval").matcher(send.html());
            while (id.find()) {
                told.add(id.group());
            }
        }
        assertEquals(List.of("#1", "#4", "#3", "Approval"), told, "each once, oldest first (the API lists the newest first)");
        assertEquals(Optional.of(Buttons.approval(approval)), sends.get(sends.size() - 1).buttons());
        assertEquals(sends.get(0).messageId(), telegram.edits().get(0).messageId(), "#1 resolved in the gap");
        assertTrue(telegram.edits().get(0).html().contains("resolved"));
        assertEquals(1, telegram.edits().size());
    }

    private static JsonObject incident(long id, String state) {
        return ServerApi.JSON.createObjectBuilder().add("id", id).add("host_id", 1).add("subject", "disk")
                .add("severity", "critical").add("message", "full").add("state", state).build();
    }

    private static JsonObject action(UUID id) {
        return ServerApi.JSON.createObjectBuilder().add("id", id.toString()).add("host_id", 1)
                .add("type", "reboot").add("target", "db").add("reason", "stuck").add("status", "pending_approval")
                .build();
    }

    private static JsonValue array(JsonObject... items) {
        var array = ServerApi.JSON.createArrayBuilder();
        for (JsonObject item : items) {
            array.add(item);
        }
        return array.build();
    }
}
