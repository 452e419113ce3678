package dev.vigil.telegram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Catches up after a gap in the event stream (the server could not replay it: {@code reset}): reads what changed
 * through REST and hands it to {@link Notifications}, which notifies only what the outbox does not know yet. It
 * reads the incidents opened since the gap began, the open and acknowledged ones (escalations of older ones),
 * each other incident the outbox still shows as unresolved (resolved meanwhile), the actions waiting for approval and the
 * actions since the gap began (decisions, results).
 */
final class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
    /** Read a little before the last event handled: clocks of bot and server differ. */
    private static final Duration MARGIN = Duration.ofMinutes(5);
    private static final int LIMIT = 5000;

    private final Function<String, JsonValue> get;
    private final Notifications notifications;
    private final Outbox outbox;

    Reconciler(Function<String, JsonValue> get, Notifications notifications, Outbox outbox) {
        this.get = get;
        this.notifications = notifications;
        this.outbox = outbox;
    }

    /**
     * Catches up with what happened since {@code since} (the time of the last event handled); with none (the bot's
     * first start) only the actions waiting for approval are notified — not the history.
     */
    void catchUp(Optional<Instant> since) {
        since.map(time -> time.minus(MARGIN)).ifPresent(from -> {
            Set<String> seen = new HashSet<>();
            Consumer<JsonObject> read = incident -> seen.add("i:" + incident.getJsonNumber("id").longValue());
            oldestFirst(list("/api/v1/incidents?limit=" + LIMIT + "&from=" + from))
                    .forEach(read.andThen(incident -> notifications.incident(incident, true)));
            for (String state : List.of("open", "acknowledged")) {
                list("/api/v1/incidents?state=" + state + "&limit=" + LIMIT)
                        .forEach(read.andThen(incident -> notifications.incident(incident, false)));
            }
            for (Note note : outbox.notes("i:")) {
                if (!note.settled() && !seen.contains(note.key())) {
                    incident(note.key().substring(2)).ifPresent(incident -> notifications.incident(incident, false));
                }
            }
        });
        list("/api/v1/actions?status=pending_approval&limit=" + LIMIT).forEach(notifications::action);
        since.map(time -> time.minus(MARGIN)).ifPresent(from ->
                oldestFirst(list("/api/v1/actions?limit=" + LIMIT + "&from=" + from)).forEach(notifications::action));
    }

    private Optional<JsonObject> incident(String id) {
        try {
            return Optional.of(get.apply("/api/v1/incidents/" + id).asJsonObject());
        } catch (ServerApi.Failure e) {
            if (e.status() != 404) {
                throw e;
            }
            LOG.info(() -> "Incident " + id + " is gone from the server; its message stays as it is");
            return Optional.empty();
        }
    }

    private List<JsonObject> list(String pathAndQuery) {
        JsonValue answer = get.apply(pathAndQuery);
        return answer instanceof JsonArray array ? array.getValuesAs(JsonObject.class) : List.of();
    }

    /** The API lists the newest first; notifications go out in the order things happened. */
    private static List<JsonObject> oldestFirst(List<JsonObject> newestFirst) {
        List<JsonObject> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }
}
