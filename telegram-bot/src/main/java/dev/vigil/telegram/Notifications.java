package dev.vigil.telegram;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * Turns the server's incidents and actions into notifications in the {@link Outbox}, which its {@link Courier}
 * sends: an incident opened (one message, edited when it is acknowledged or resolved — or, not sent yet, its
 * waiting text updated), escalated (its message edited and a short loud notice), an action waiting for approval
 * (a message of its own with approve and reject buttons, edited once decided) and an action's result.
 *
 * <p>It works from the state of the incident or action, not from which event told it, so an event seen twice or
 * the same state read again after a gap ({@link Reconciler}) changes nothing: the outbox knows what was notified.
 * States only move forward (open, acknowledged, resolved; severity only up), so a stale read cannot undo a newer
 * one. Incidents below {@link Delivery#minSeverity()} are not notified (until one escalates past it); approvals
 * always are; a result when its approval or its incident was notified (any result at {@code info}).
 */
public final class Notifications implements AutoCloseable {
    /**
     * The notification settings in force: where notifications go, the least severity notified ({@code info},
     * {@code warning} or {@code critical}), and whether non-critical ones are sent without a sound.
     */
    public record Delivery(List<ChatTarget> chats, String minSeverity, boolean quietNonCritical) {
        public Delivery {
            chats = List.copyOf(chats);
        }
    }

    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");
    private static final List<String> STATES = List.of("open", "acknowledged", "resolved");
    private static final Set<String> RESULTS = Set.of("succeeded", "failed", "refused");
    private static final Set<String> DECIDED = Set.of("rejected", "suppressed", "dry_run", "succeeded", "failed",
            "refused");
    private static final int MAX_TEXT = 300;

    private final Supplier<Delivery> delivery;
    private final Outbox outbox;
    private final HostNames hosts;
    private final InstantSource clock;
    private final Courier courier;

    /**
     * Notifications through {@code telegram} to the chats {@code delivery} names (read for every change, so a new
     * setting applies at once), kept in {@code outbox}, with host names from {@code api}. Sending starts with
     * {@link #start()}.
     */
    public Notifications(Telegram telegram, Supplier<Delivery> delivery, Outbox outbox, ServerApi api) {
        this(telegram, delivery, outbox, new HostNames(api), InstantSource.system(), Duration.ofSeconds(5));
    }

    Notifications(Telegram telegram, Supplier<Delivery> delivery, Outbox outbox, HostNames hosts,
                  InstantSource clock, Duration retryPause) {
        this.delivery = delivery;
        this.outbox = outbox;
        this.hosts = hosts;
        this.clock = clock;
        this.courier = new Courier(telegram, outbox, () -> delivery.get().quietNonCritical(), retryPause);
    }

    /** Starts sending what the outbox holds (what a previous run left, first). */
    public void start() {
        courier.start();
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Handles an incident or action event; other events are not for it. */
    public void handle(ServerApi.Event event) {
        if (event.type().startsWith("incident_")) {
            incident(event.data(), false);
        } else if (event.type().startsWith("action_")) {
            action(event.data());
        }
    }

    /**
     * Notifies the incident's news, if any. {@code announceResolved}: an incident already resolved that was never
     * notified is still news (it opened and closed while the bot could not see), rather than old news.
     */
    public void incident(JsonObject incident, boolean announceResolved) {
        long id = incident.getJsonNumber("id").longValue();
        String key = "i:" + id;
        Optional<Note> known = outbox.note(key);
        String severity = incident.getString("severity", "info");
        String state = incident.getString("state", "open");
        if (known.isEmpty()) {
            if (rank(SEVERITIES, severity) < rank(SEVERITIES, delivery.get().minSeverity())
                    || state.equals("resolved") && !announceResolved) {
                return;
            }
            queue(rendered(null, incident, severity, state));
            return;
        }
        Map<String, String> was = known.get().facts();
        String severityNow = higher(SEVERITIES, was.get("severity"), severity);
        String stateNow = higher(STATES, was.get("state"), state);
        if (severityNow.equals(was.get("severity")) && stateNow.equals(was.get("state"))) {
            return;
        }
        boolean sent = outbox.sentAnywhere(key);
        outbox.put(rendered(known.get(), incident, severityNow, stateNow), List.of());
        if (sent && !severityNow.equals(was.get("severity")) && !stateNow.equals("resolved")) {
            String host = Html.escape(hosts.name(incident.getJsonNumber("host_id").longValue()));
            String line = "⬆️ <b>escalated to " + severityNow + "</b>: " + host + " — "
                    + text(incident, "subject") + " (#" + id + ")";
            queue(new Note("x:" + id + ":" + severityNow, 0, line, line, "", severityNow.equals("critical"), false,
                    true, clock.instant(), Map.of()));
        }
    }

    /** Notifies the action's news, if any: it waits for approval, was decided, or has a result. */
    public void action(JsonObject action) {
        String id = action.getString("id");
        String status = action.getString("status", "");
        Optional<Note> approval = outbox.note("a:" + id);
        if (status.equals("pending_approval")) {
            if (approval.isEmpty()) {
                queue(approval(null, action, status));
            }
            return;
        }
        approval.filter(note -> !status.equals(note.facts().get("status")))
                .ifPresent(note -> outbox.put(approval(note, action, status), List.of()));
        if (RESULTS.contains(status) && outbox.note("f:" + id).isEmpty() && (approval.isPresent()
                || incidentNotified(action) || delivery.get().minSeverity().equals("info"))) {
            String emoji = status.equals("succeeded") ? "✅" : "❌";
            String line = emoji + " " + what(action) + " <b>" + status + "</b>"
                    + (action.getString("detail", "").isBlank() ? "" : ": " + text(action, "detail"));
            queue(new Note("f:" + id, 0, line, line, "", !status.equals("succeeded"), false, true, clock.instant(),
                    Map.of()));
        }
    }

    @Override
    public void close() {
        courier.close();
    }

    private void queue(Note note) {
        List<ChatTarget> chats = delivery.get().chats();
        outbox.put(note, chats);
        courier.serve(chats);
    }

    private boolean incidentNotified(JsonObject action) {
        return action.get("incident_id") instanceof JsonNumber incident
                && outbox.note("i:" + incident.longValue()).isPresent();
    }

    private Note rendered(Note was, JsonObject incident, String severity, String state) {
        long id = incident.getJsonNumber("id").longValue();
        long hostId = incident.getJsonNumber("host_id").longValue();
        String host = Html.escape(hosts.name(hostId));
        String emoji = switch (state) {
            case "resolved" -> "✅";
            case "acknowledged" -> "👀";
            default -> switch (severity) {
                case "critical" -> "🔴";
                case "warning" -> "🟠";
                default -> "🔵";
            };
        };
        String subject = text(incident, "subject");
        String message = text(incident, "message");
        String status = state.equals("open") ? "" : " · " + state;
        String line = emoji + " <b>" + severity + "</b> " + host + " — " + subject + ": " + message + " (#" + id
                + ")" + status;
        StringBuilder detail = new StringBuilder(emoji + " <b>" + severity + "</b> · <b>" + host + "</b>\n"
                + subject + "\n" + message + "\n#" + id);
        if (!incident.getString("acknowledged_by", "").isEmpty()) {
            detail.append("\nacknowledged by ").append(text(incident, "acknowledged_by"));
        }
        if (state.equals("resolved")) {
            detail.append("\nresolved").append(incident.getString("resolved_by", "").isEmpty() ? ""
                    : " by " + text(incident, "resolved_by"));
        }
        String buttons = state.equals("open") ? "incident:" + id + ":" + hostId : "";
        Map<String, String> facts = new HashMap<>(Map.of("severity", severity, "state", state));
        boolean loud = severity.equals("critical");
        boolean settled = state.equals("resolved");
        return was == null ? new Note("i:" + id, 0, line, detail.toString(), buttons, loud, false, settled,
                clock.instant(), facts) : was.next(line, detail.toString(), buttons, loud, settled, facts);
    }

    private Note approval(Note was, JsonObject action, String status) {
        String head = status.equals("pending_approval") ? "🛂 <b>Approval needed</b>" : "🛂 Approval: <b>"
                + Html.escape(status.replace('_', ' ')) + "</b>" + (action.getString("decided_by", "").isEmpty()
                ? "" : " by " + text(action, "decided_by"));
        String detail = head + "\n" + what(action) + "\n" + text(action, "reason") + "\naction "
                + Html.escape(action.getString("id"));
        String line = head + ": " + what(action);
        String buttons = status.equals("pending_approval") ? "approval:" + action.getString("id") : "";
        Map<String, String> facts = Map.of("status", status);
        return was == null ? new Note("a:" + action.getString("id"), 0, line, detail, buttons, true, true, false,
                clock.instant(), facts) : was.next(line, detail, buttons, true, DECIDED.contains(status), facts);
    }

    /** {@code restart_service nginx.service on web-1}, escaped. */
    private String what(JsonObject action) {
        return text(action, "type") + " " + text(action, "target") + " on "
                + Html.escape(hosts.name(action.getJsonNumber("host_id").longValue()));
    }

    /** The field's text, escaped and cut to a length a message has room for. */
    private static String text(JsonObject json, String field) {
        String value = json.get(field) instanceof jakarta.json.JsonString string ? string.getString() : "";
        return Html.escape(value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) + "…" : value);
    }

    private static int rank(List<String> order, String value) {
        return Math.max(0, order.indexOf(value));
    }

    private static String higher(List<String> order, String a, String b) {
        return rank(order, b) > rank(order, a) ? b : a;
    }
}
