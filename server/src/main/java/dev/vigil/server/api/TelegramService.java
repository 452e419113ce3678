package dev.vigil.server.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.vigil.server.model.Role;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.RoleLeaseStore;
import dev.vigil.server.store.TelegramSettings;
import dev.vigil.server.store.TelegramStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * The Telegram bot's side of the server (admin). The panel edits the settings ({@code /api/v1/settings/telegram};
 * the bot token is write-only there, shown as set or not and its last 4 characters) and asks the bot to send
 * /stats, /warn or a test message ({@code /api/v1/telegram/requests}); the bot, with an admin API token and never
 * a browser session, reads the settings with the token ({@code /api/v1/telegram/config}), reports its state
 * ({@code /api/v1/telegram/status}, kept in memory) and the commands of users it refused
 * ({@code /api/v1/telegram/refusals}, audited under {@code telegram:<id>}). Every change is published as an event
 * that no secret is in: {@code telegram_changed}, {@code telegram_status}, {@code telegram_request}. Of several bot
 * processes, only the holder of the cluster's one poller lease ({@code /api/v1/telegram/lease}, in the database so
 * that every replica agrees) long-polls Telegram and sends; the others stand by.
 */
public final class TelegramService implements Access.Resource {
    static final int MAX_CHATS = 100;
    static final int MAX_USERS = 1000;
    /** Chat ids are below 10^15 in magnitude; channels' and supergroups' are negative. */
    static final long MAX_CHAT_ID = 999_999_999_999_999L;
    static final long MAX_USER_ID = 1_000_000_000_000_000L;
    /** Counters stay exact in JavaScript. */
    static final long MAX_COUNT = (1L << 53) - 1;
    static final int MAX_USERNAME = 64;
    static final int MAX_ERROR = 1000;
    static final List<String> SEVERITIES = List.of("info", "warning", "critical");
    static final List<String> STATES = List.of("running", "waiting_for_token", "conflict", "error", "stopped",
            "standby");
    static final List<String> KINDS = List.of("stats", "warn", "test");
    static final List<String> OVERRIDES = List.of("token", "chats", "users");
    /** The poller lease's name in {@code role_leases}. */
    static final String POLLER_ROLE = "telegram-poller";
    static final int MAX_HOLDER = 128;
    /**
     * A standby bot's report does not replace a report this young of another state: the panel shows the bot that
     * polls (whose reporter repeats its report every 30 s), not whichever bot reported last.
     */
    static final Duration STANDBY_HIDDEN_BY = Duration.ofSeconds(60);
    /** A bot token as BotFather gives it; also what is cut out of a reported error (a URL may hold one). */
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{30,100}");

    /**
     * What the bot last reported about itself.
     *
     * @param envOverrides the settings the bot's environment gives, which win over the panel's
     */
    public record Report(String state, Optional<String> botUsername, Optional<Instant> lastUpdateAt,
                         Optional<String> lastError, Optional<Instant> lastErrorAt, long outboxPending,
                         long sentTotal, List<String> envOverrides, Instant reportedAt) {
        public Report {
            envOverrides = List.copyOf(envOverrides);
        }
    }

    /** The panel asks the bot to send /stats, /warn or a test message to every notification chat. */
    public record Request(UUID id, String kind, String requestedBy) {
    }

    private final TelegramStore store;
    private final RoleLeaseStore leases;
    private final Duration leaseTtl;
    private final AuditLog audit;
    private final EventBus events;
    private final Clock clock;
    private final AtomicReference<Report> report = new AtomicReference<>();
    private final ReentrantLock changing = new ReentrantLock();

    /** {@code leaseTtl}: how long the poller lease lasts without renewal ({@code VIGIL_TELEGRAM_LEASE_TTL}). */
    public TelegramService(TelegramStore store, RoleLeaseStore leases, Duration leaseTtl, AuditLog audit,
                           EventBus events, Clock clock) {
        this.store = store;
        this.leases = leases;
        this.leaseTtl = leaseTtl;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/settings/telegram", Role.ADMIN, (request, response) ->
                        JsonBodies.send(response, Status.OK_200, withStatus(store.current())))
                .put("/api/v1/settings/telegram", Role.ADMIN, Access.Input.body("token", "chats", "users",
                        "min_severity", "quiet_non_critical"), this::change)
                .post("/api/v1/telegram/requests", Role.ADMIN, Access.Input.body("kind"), this::request);
        routes.apiTokensOnly()
                .get("/api/v1/telegram/config", Role.ADMIN, (request, response) -> {
                    TelegramStore.Current current = store.current();
                    JsonObjectBuilder json = settings(current);
                    current.settings().token().ifPresentOrElse(t -> json.add("token", t), () -> json.addNull("token"));
                    JsonBodies.send(response, Status.OK_200, json.build());
                })
                .put("/api/v1/telegram/status", Role.ADMIN, Access.Input.body("state", "bot_username",
                        "last_update_at", "last_error", "last_error_at", "outbox_pending", "sent_total",
                        "env_overrides"), this::status)
                .post("/api/v1/telegram/refusals", Role.ADMIN, Access.Input.body("user_id", "username", "command"),
                        this::refusal)
                .post("/api/v1/telegram/lease", Role.ADMIN, Access.Input.body("holder", "release"), this::lease);
    }

    /** The fields of a change, each empty when not sent; {@code token} holds an empty value when it is cleared. */
    private record Patch(Optional<Optional<String>> token, Optional<List<TelegramSettings.Chat>> chats,
                         Optional<List<TelegramSettings.User>> users, Optional<String> minSeverity,
                         Optional<Boolean> quietNonCritical) {
        TelegramSettings applied(TelegramSettings s) {
            return new TelegramSettings(token.orElse(s.token()), chats.orElse(s.chats()), users.orElse(s.users()),
                    minSeverity.orElse(s.minSeverity()), quietNonCritical.orElse(s.quietNonCritical()));
        }
    }

    private void change(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Patch patch = new Patch(token(body), chats(body), users(body),
                JsonBodies.text(body, "min_severity", JsonBodies.MAX_TEXT).map(s -> oneOf("min_severity", s,
                        SEVERITIES)), JsonBodies.bool(body, "quiet_non_critical"));
        // one change at a time, so that each audit entry's "before" is what the change replaced
        changing.lock();
        try {
            TelegramStore.Current current = store.current();
            TelegramSettings before = current.settings();
            TelegramSettings after = patch.applied(before);
            if (!after.equals(before)) {
                Instant now = clock.instant();
                current = store.write(after, Access.who(request), now);
                audit.record(now, Access.who(request), "telegram_changed", "telegram settings",
                        changes(before, after));
                events.publish("telegram_changed", current.change().orElseThrow());
            }
            JsonBodies.send(response, Status.OK_200, withStatus(current));
        } finally {
            changing.unlock();
        }
    }

    private static Optional<Optional<String>> token(JsonObject body) {
        return JsonBodies.verbatim(body, "token").map(token -> {
            if (token.isEmpty()) {
                return Optional.empty();
            }
            // the refusal never quotes the value: it would go to the audit
            if (!TOKEN.matcher(token).matches()) {
                throw ApiErrors.badRequest("\"token\" must be a bot token as BotFather gives it (1 to 20 digits, ':',"
                        + " then 30 to 100 letters, digits, '_' or '-'), or \"\" to remove it");
            }
            return Optional.of(token);
        });
    }

    private static Optional<List<TelegramSettings.Chat>> chats(JsonObject body) {
        return list(body, "chats", MAX_CHATS, "{\"chat_id\", \"topic_id\"}").map(items -> {
            List<TelegramSettings.Chat> chats = new ArrayList<>();
            Set<TelegramSettings.Chat> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = items.get(i);
                TelegramSettings.Chat chat = inItem("chats", i, () -> {
                    known(item, "chat_id", "topic_id");
                    long id = JsonBodies.whole(item, "chat_id", -MAX_CHAT_ID, MAX_CHAT_ID).orElseThrow(() ->
                            ApiErrors.badRequest("\"chat_id\" (a whole number) is required"));
                    if (id == 0) {
                        throw ApiErrors.badRequest("\"chat_id\" must not be 0");
                    }
                    return new TelegramSettings.Chat(id, JsonBodies.whole(item, "topic_id", 1, Integer.MAX_VALUE)
                            .map(Long::intValue));
                });
                if (!seen.add(chat)) {
                    throw ApiErrors.badRequest("\"chats\" lists chat " + chat.chatId() + chat.topicId()
                            .map(t -> " topic " + t).orElse(" (no topic)") + " twice");
                }
                chats.add(chat);
            }
            return chats;
        });
    }

    private static Optional<List<TelegramSettings.User>> users(JsonObject body) {
        return list(body, "users", MAX_USERS, "{\"user_id\", \"role\"}").map(items -> {
            List<TelegramSettings.User> users = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = items.get(i);
                TelegramSettings.User user = inItem("users", i, () -> {
                    known(item, "user_id", "role");
                    long id = JsonBodies.whole(item, "user_id", 1, MAX_USER_ID).orElseThrow(() ->
                            ApiErrors.badRequest("\"user_id\" (a whole number) is required"));
                    String role = JsonBodies.string(item, "role");
                    return new TelegramSettings.User(id, Role.parse(role).orElseThrow(() ->
                            ApiErrors.badRequest("\"role\" must be viewer, operator or admin")));
                });
                if (!seen.add(user.userId())) {
                    throw ApiErrors.badRequest("\"users\" lists user " + user.userId() + " twice");
                }
                users.add(user);
            }
            return users;
        });
    }

    /** A list of objects of at most {@code max} items; empty when absent or null. */
    private static Optional<List<JsonObject>> list(JsonObject body, String name, int max, String shape) {
        JsonValue value = body.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonArray array) || !array.stream().allMatch(JsonObject.class::isInstance)) {
            throw ApiErrors.badRequest(Values.quoted(name) + " must be a list of " + shape + " objects");
        }
        if (array.size() > max) {
            throw ApiErrors.badRequest(Values.quoted(name) + " has " + array.size() + " items; at most " + max);
        }
        return Optional.of(array.getValuesAs(JsonObject.class));
    }

    private static void known(JsonObject item, String... fields) {
        for (String field : item.keySet()) {
            if (!List.of(fields).contains(field)) {
                throw ApiErrors.badRequest("unknown field \"" + ApiErrors.shown(field) + "\"; an item takes "
                        + String.join(", ", fields));
            }
        }
    }

    /** Reads one item of a list; a refusal names the list and the item (counted from 1). */
    private static <T> T inItem(String list, int index, Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiErrors.Refusal refusal) {
            throw ApiErrors.badRequest(Values.quoted(list) + " item " + (index + 1) + ": " + refusal.getMessage());
        }
    }

    private static String oneOf(String name, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw ApiErrors.badRequest(Values.quoted(name) + " must be " + String.join(", ", allowed.subList(0,
                    allowed.size() - 1)) + " or " + allowed.getLast() + ", not " + ApiErrors.shown(value));
        }
        return value;
    }

    /** {@code token: replaced; min_severity: "warning" → "critical"}: what changed, never the token. */
    private static String changes(TelegramSettings before, TelegramSettings after) {
        List<String> changes = new ArrayList<>();
        if (!before.token().equals(after.token())) {
            changes.add("token: " + (after.token().isEmpty() ? "removed" : before.token().isEmpty() ? "set"
                    : "replaced"));
        }
        JsonObject old = shown(before).build();
        shown(after).build().forEach((name, value) -> {
            if (!value.equals(old.get(name))) {
                changes.add(name + ": " + old.get(name) + " → " + value);
            }
        });
        return String.join("; ", changes);
    }

    /** Everything but the token. */
    private static JsonObjectBuilder shown(TelegramSettings s) {
        return JSON.createObjectBuilder()
                .add("chats", TelegramStore.chatsJson(s.chats()))
                .add("users", TelegramStore.usersJson(s.users()))
                .add("min_severity", s.minSeverity())
                .add("quiet_non_critical", s.quietNonCritical());
    }

    /** The settings as the panel sees them: the token only as set or not, and its last 4 characters. */
    private static JsonObjectBuilder settings(TelegramStore.Current current) {
        Optional<String> token = current.settings().token();
        JsonObjectBuilder json = JSON.createObjectBuilder().add("token_set", token.isPresent());
        token.ifPresentOrElse(t -> json.add("token_hint", "…" + t.substring(t.length() - 4)),
                () -> json.addNull("token_hint"));
        json.addAll(shown(current.settings()));
        current.change().ifPresentOrElse(change -> json.add("updated_at", change.at().toString())
                .add("updated_by", change.by()), () -> json.addNull("updated_at").addNull("updated_by"));
        return json;
    }

    /** GET settings/telegram: the settings and the bot's last report, null before its first. */
    private JsonObject withStatus(TelegramStore.Current current) {
        Report last = report.get();
        return settings(current).add("status", last == null ? JsonValue.NULL : json(last)).build();
    }

    private void status(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Report next = new Report(oneOf("state", JsonBodies.string(body, "state"), STATES),
                JsonBodies.text(body, "bot_username", MAX_USERNAME),
                JsonBodies.instant(body, "last_update_at"),
                JsonBodies.text(body, "last_error", MAX_ERROR).map(e -> TOKEN.matcher(e).replaceAll("<token>")),
                JsonBodies.instant(body, "last_error_at"),
                JsonBodies.whole(body, "outbox_pending", 0, MAX_COUNT).orElse(0L),
                JsonBodies.whole(body, "sent_total", 0, MAX_COUNT).orElse(0L),
                overrides(body), clock.instant());
        if (report.accumulateAndGet(next, TelegramService::shown) == next) {
            events.publish("telegram_status", next);
        }
        response.status(Status.NO_CONTENT_204).send();
    }

    /** The report the panel shows: the newest, unless that is a standby's and the last a polling bot's, still fresh. */
    private static Report shown(Report last, Report next) {
        boolean hidden = next.state().equals("standby") && last != null
                && !List.of("standby", "stopped").contains(last.state())
                && last.reportedAt().plus(STANDBY_HIDDEN_BY).isAfter(next.reportedAt());
        return hidden ? last : next;
    }

    /**
     * The poller lease: taken or renewed for {@code holder} (a bot instance's name) when free, expired or its own,
     * or given up ({@code release}); answers whether {@code holder} holds it, who does, and the lease's life.
     */
    private void lease(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        String holder = JsonBodies.text(body, "holder", MAX_HOLDER).filter(h -> !h.isBlank()).orElseThrow(() ->
                ApiErrors.badRequest("\"holder\" (1 to " + MAX_HOLDER + " characters naming the bot instance) is"
                        + " required"));
        RoleLeaseStore.Lease lease = JsonBodies.bool(body, "release").orElse(false)
                ? leases.release(POLLER_ROLE, holder) : leases.claim(POLLER_ROLE, holder, leaseTtl);
        JsonObjectBuilder json = JSON.createObjectBuilder().add("held", lease.heldBy(holder));
        optional(json, "holder", lease.holder());
        JsonBodies.send(response, Status.OK_200, json.add("ttl_seconds", leaseTtl.toSeconds()).build());
    }

    private static List<String> overrides(JsonObject body) {
        JsonValue value = body.get("env_overrides");
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        String must = "\"env_overrides\" must be a list of " + String.join(", ", OVERRIDES);
        if (!(value instanceof JsonArray array)) {
            throw ApiErrors.badRequest(must);
        }
        Set<String> overrides = new LinkedHashSet<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s) || !OVERRIDES.contains(s.getString())) {
                throw ApiErrors.badRequest(must);
            }
            overrides.add(s.getString());
        }
        return List.copyOf(overrides);
    }

    private void request(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Request asked = new Request(UUID.randomUUID(), oneOf("kind", JsonBodies.string(body, "kind"), KINDS),
                Access.who(request));
        events.publish("telegram_request", asked);
        JsonBodies.send(response, Status.ACCEPTED_202, JSON.createObjectBuilder()
                .add("request_id", asked.id().toString()).build());
    }

    private void refusal(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        long userId = JsonBodies.whole(body, "user_id", 1, MAX_USER_ID).orElseThrow(() ->
                ApiErrors.badRequest("\"user_id\" (a whole number) is required"));
        Optional<String> username = JsonBodies.text(body, "username", MAX_USERNAME);
        String command = JsonBodies.string(body, "command");
        if (command.isBlank()) {
            throw ApiErrors.badRequest("\"command\" must not be empty");
        }
        audit.record(clock.instant(), "telegram:" + userId, "telegram_refused", "telegram command", command
                + username.map(u -> " (username " + u + ")").orElse(" (no username)"), Access.address(request),
                "denied");
        response.status(Status.NO_CONTENT_204).send();
    }

    /** The bot's report, as GET settings/telegram and the {@code telegram_status} event show it. */
    static JsonObject json(Report r) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("state", r.state());
        optional(json, "bot_username", r.botUsername());
        optional(json, "last_update_at", r.lastUpdateAt().map(Instant::toString));
        optional(json, "last_error", r.lastError());
        optional(json, "last_error_at", r.lastErrorAt().map(Instant::toString));
        return json.add("outbox_pending", r.outboxPending()).add("sent_total", r.sentTotal())
                .add("env_overrides", JSON.createArrayBuilder(r.envOverrides()))
                .add("reported_at", r.reportedAt().toString()).build();
    }

    static JsonObject json(Request r) {
        return JSON.createObjectBuilder().add("request_id", r.id().toString()).add("kind", r.kind())
                .add("requested_by", r.requestedBy()).build();
    }

    static JsonObject json(TelegramStore.Change change) {
        return JSON.createObjectBuilder().add("updated_at", change.at().toString()).add("updated_by", change.by())
                .build();
    }

    private static void optional(JsonObjectBuilder json, String name, Optional<String> value) {
        value.ifPresentOrElse(v -> json.add(name, v), () -> json.addNull(name));
    }
}
