package dev.vigil.telegram;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * A Telegram Bot API on loopback for the tests, speaking what telegrambots' OkHttp client sends ({@code POST
 * /bot<token>/<method>} with a JSON body): {@code getMe}, {@code deleteWebhook}, {@code getUpdates} (long polling;
 * a second concurrent poller of the same token ends the first with 409, as Telegram does), {@code sendMessage},
 * {@code editMessageText} and {@code answerCallbackQuery}. It checks what Telegram checks — the HTML of a message
 * (unknown tags, unclosed tags and stray {@code <} or {@code &} are a 400 "can't parse entities"), its length, edits of
 * unknown or unchanged messages — and records every rate-limit breach (more than one message a second in a chat,
 * 20 a minute in a group, 30 a second in all). Tests script failures: 429 with {@code retry_after}, 5xx, 409, or an
 * outage in which every call fails.
 */
public final class BotApiStandIn implements AutoCloseable {
    public static final String BOT_USERNAME = "vigil_test_bot";
    private static final long BOT_ID = 777_000_001L;
    private static final int MAX_TEXT = 4096;
    /** Telegram's per-chat limit is "about one a second": a gap this much shorter still counts as a breach. */
    private static final long CHAT_GAP_MILLIS = 1000 - 50;
    private static final Pattern TAG = Pattern.compile("<(/?)([a-z-]+)(\\s[^<>]*)?>");
    private static final Pattern ENTITY = Pattern.compile("&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});");
    private static final List<String> TAGS = List.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
            "a", "code", "pre", "tg-spoiler", "span", "blockquote");

    /** One message as the chat shows it: its HTML and its buttons' callback data, row by row. */
    public record Message(long chatId, long messageId, Optional<Integer> topicId, String html, String text,
                          List<List<String>> buttons, boolean silent, long sentAtMillis) {
    }

    /** One call the bot made: its method, the token it used, its JSON body and the HTTP status it got. */
    public record Call(String method, String token, JsonObject body, int status, long atMillis) {
    }

    /** A scripted answer for the next call of a method: an HTTP status, and retry_after for a 429. */
    public record Fault(int status, int retryAfterSeconds, String description) {
        public static Fault tooManyRequests(int retryAfterSeconds) {
            return new Fault(429, retryAfterSeconds, "Too Many Requests: retry after " + retryAfterSeconds);
        }

        public static Fault serverError() {
            return new Fault(500, 0, "Internal Server Error");
        }

        public static Fault conflict() {
            return new Fault(409, 0, "Conflict: terminated by other getUpdates request; make sure that only one"
                    + " bot instance is running");
        }
    }

    private final WebServer server;
    private final Object lock = new Object();
    private volatile String token;
    private final List<Call> calls = new ArrayList<>();
    private final Map<Long, List<Message>> chats = new HashMap<>();
    private final List<Message> sent = new ArrayList<>();
    private final List<Message> edits = new ArrayList<>();
    private final List<String> breaches = new ArrayList<>();
    private final Map<String, String> callbackAnswers = new HashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final List<JsonObject> updates = new ArrayList<>();
    private final AtomicLong nextMessageId = new AtomicLong(100);
    private final AtomicLong nextUpdateId = new AtomicLong(1);
    private final AtomicLong nextCallbackId = new AtomicLong(1);
    private final Deque<Long> allSendTimes = new ArrayDeque<>();
    private final Map<Long, Deque<Long>> chatSendTimes = new HashMap<>();
    /** The poll waiting now, per token; a newer one ends it with 409. */
    private final Map<String, Object> waitingPoll = new HashMap<>();
    private boolean outage;

    private BotApiStandIn(String token) {
        this.token = token;
        this.server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> routing.post("/{bot}/{method}", this::handle))
                .build().start();
    }

    /** A stand-in on a free loopback port that accepts this bot token. */
    public static BotApiStandIn start(String token) {
        return new BotApiStandIn(token);
    }

    /** The base URL to give the bot as {@code VIGIL_TELEGRAM_API_URL}. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Accepts only this token from now on (the bot's token was changed). */
    public void acceptToken(String token) {
        this.token = token;
    }

    /** Every call from now until {@link #endOutage} fails with 502, as when Telegram is unreachable behind a proxy. */
    public void startOutage() {
        synchronized (lock) {
            outage = true;
        }
    }

    public void endOutage() {
        synchronized (lock) {
            outage = false;
        }
    }

    /** The next {@code times} calls of {@code method} get this fault instead of an answer. */
    public void failNext(String method, int times, Fault fault) {
        synchronized (lock) {
            Deque<Fault> queue = faults.computeIfAbsent(canonical(method), m -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
    }

    /** A user writes {@code text} in a chat (a private chat when {@code chatId == userId}). */
    public void userSays(long userId, long chatId, String text) {
        JsonObject message = Json.createObjectBuilder()
                .add("message_id", nextMessageId.incrementAndGet())
                .add("from", user(userId))
                .add("chat", chatJson(chatId))
                .add("date", System.currentTimeMillis() / 1000)
                .add("text", text)
                .add("entities", text.startsWith("/") ? Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("type", "bot_command").add("offset", 0)
                        .add("length", text.split(" ", 2)[0].length())) : Json.createArrayBuilder())
                .build();
        push(Json.createObjectBuilder().add("message", message));
    }

    /** A user presses a button of a message the bot sent; returns the callback query's id. */
    public String userPresses(long userId, Message message, String callbackData) {
        String id = Long.toString(nextCallbackId.getAndIncrement());
        JsonObject query = Json.createObjectBuilder()
                .add("id", id)
                .add("from", user(userId))
                .add("chat_instance", "ci-" + message.chatId())
                .add("data", callbackData)
                .add("message", Json.createObjectBuilder().add("message_id", message.messageId())
                        .add("chat", chatJson(message.chatId())).add("date", message.sentAtMillis() / 1000)
                        .add("text", message.text()))
                .build();
        push(Json.createObjectBuilder().add("callback_query", query));
        return id;
    }

    private void push(JsonObjectBuilder update) {
        synchronized (lock) {
            updates.add(update.add("update_id", nextUpdateId.getAndIncrement()).build());
            lock.notifyAll();
        }
    }

    private static JsonObject user(long userId) {
        return Json.createObjectBuilder().add("id", userId).add("is_bot", false).add("first_name", "User " + userId)
                .add("username", "user" + userId).build();
    }

    private static JsonObject chatJson(long chatId) {
        return Json.createObjectBuilder().add("id", chatId).add("type", chatId < 0 ? "supergroup" : "private")
                .build();
    }

    /** Every message sent to a chat, oldest first, as it reads now (edits applied). */
    public List<Message> chat(long chatId) {
        synchronized (lock) {
            return List.copyOf(chats.getOrDefault(chatId, List.of()));
        }
    }

    /** Every sendMessage accepted, in order, as sent. */
    public List<Message> sent() {
        synchronized (lock) {
            return List.copyOf(sent);
        }
    }

    /** Every editMessageText accepted, in order, with the text it set. */
    public List<Message> edits() {
        synchronized (lock) {
            return List.copyOf(edits);
        }
    }

    /** Every call received, in order. */
    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** The rate-limit breaches seen so far, described. */
    public List<String> breaches() {
        synchronized (lock) {
            return List.copyOf(breaches);
        }
    }

    /** The text the bot answered a callback query with, once it did. */
    public Optional<String> callbackAnswer(String callbackQueryId) {
        synchronized (lock) {
            return Optional.ofNullable(callbackAnswers.get(callbackQueryId));
        }
    }

    /**
     * Waits until a condition on the stand-in holds, checking as messages arrive; fails the calling test with
     * {@code what} when it does not within the timeout.
     */
    public void await(String what, Duration timeout, Predicate<BotApiStandIn> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.test(this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the Bot API stand-in waited " + timeout.toSeconds() + " s for " + what
                            + "; it got: " + describe());
                }
                lock.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            }
        }
    }

    /** The recent traffic, for a failure message. */
    public String describe() {
        synchronized (lock) {
            StringBuilder out = new StringBuilder();
            calls.stream().skip(Math.max(0, calls.size() - 30)).forEach(call -> out.append("\n  ")
                    .append(call.status()).append(' ').append(call.method()).append(' ')
                    .append(abbreviate(call.body().toString())));
            return out.toString();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static final List<String> METHODS = List.of("getMe", "deleteWebhook", "getUpdates", "sendMessage",
            "editMessageText", "answerCallbackQuery");

    private static String canonical(String method) {
        return METHODS.stream().filter(known -> known.equalsIgnoreCase(method)).findFirst().orElse(method);
    }

    private void handle(ServerRequest request, ServerResponse response) throws InterruptedException {
        String bot = request.path().pathParameters().get("bot");
        // Telegram takes method names in any case; telegrambots sends some in lower case
        String method = canonical(request.path().pathParameters().get("method"));
        String body = request.content().hasEntity() ? request.content().as(String.class) : "{}";
        JsonObject json = body.isBlank() ? JsonValue.EMPTY_JSON_OBJECT
                : Json.createReader(new StringReader(body)).readObject();
        String usedToken = bot.startsWith("bot") ? bot.substring(3) : "";
        Answer answer;
        // one critical section, so a test that sees a message also sees the call that made it
        synchronized (lock) {
            answer = answer(method, usedToken, json);
            calls.add(new Call(method, usedToken, json, answer.status, System.currentTimeMillis()));
            lock.notifyAll();
        }
        response.status(Status.create(answer.status)).header("Content-Type", "application/json")
                .send(answer.body.toString());
    }

    private record Answer(int status, JsonObject body) {
        static Answer ok(JsonValue result) {
            return new Answer(200, Json.createObjectBuilder().add("ok", true).add("result", result).build());
        }

        static Answer error(int status, String description, int retryAfter) {
            JsonObjectBuilder body = Json.createObjectBuilder().add("ok", false).add("error_code", status)
                    .add("description", description);
            if (retryAfter > 0) {
                body.add("parameters", Json.createObjectBuilder().add("retry_after", retryAfter));
            }
            return new Answer(status, body.build());
        }
    }

    private Answer answer(String method, String usedToken, JsonObject json) throws InterruptedException {
        synchronized (lock) {
            if (outage) {
                return Answer.error(502, "Bad Gateway", 0);
            }
            if (!usedToken.equals(token)) {
                return Answer.error(401, "Unauthorized", 0);
            }
            Deque<Fault> queue = faults.get(method);
            Fault fault = queue == null ? null : queue.poll();
            if (fault != null) {
                return Answer.error(fault.status(), fault.description(), fault.retryAfterSeconds());
            }
        }
        return switch (method) {
            case "getMe" -> Answer.ok(Json.createObjectBuilder().add("id", BOT_ID).add("is_bot", true)
                    .add("first_name", "Vigil test").add("username", BOT_USERNAME).build());
            case "deleteWebhook" -> Answer.ok(JsonValue.TRUE);
            case "getUpdates" -> getUpdates(usedToken, json);
            case "sendMessage" -> sendMessage(json);
            case "editMessageText" -> editMessageText(json);
            case "answerCallbackQuery" -> answerCallbackQuery(json);
            default -> Answer.error(404, "Not Found: method " + method + " is not in the stand-in", 0);
        };
    }

    private Answer getUpdates(String usedToken, JsonObject json) throws InterruptedException {
        long offset = json.getJsonNumber("offset") == null ? 0 : json.getJsonNumber("offset").longValue();
        int timeout = json.getJsonNumber("timeout") == null ? 0 : Math.min(json.getInt("timeout"), 50);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
        Object me = new Object();
        synchronized (lock) {
            updates.removeIf(update -> update.getJsonNumber("update_id").longValue() < offset);
            Object earlier = waitingPoll.put(usedToken, me);
            if (earlier != null) {
                lock.notifyAll();
            }
            try {
                while (updates.isEmpty() && System.nanoTime() < deadline && !outage) {
                    lock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    if (waitingPoll.get(usedToken) != me) {
                        return Answer.error(409, Fault.conflict().description(), 0);
                    }
                }
            } finally {
                waitingPoll.remove(usedToken, me);
            }
            if (outage) {
                return Answer.error(502, "Bad Gateway", 0);
            }
            var result = Json.createArrayBuilder();
            updates.stream().limit(100).forEach(result::add);
            return Answer.ok(result.build());
        }
    }

    private Answer sendMessage(JsonObject json) {
        long chatId = Long.parseLong(json.get("chat_id").toString().replace("\"", ""));
        String html = json.getString("text", "");
        Optional<String> invalid = invalidHtml(html);
        if (invalid.isPresent()) {
            return Answer.error(400, "Bad Request: can't parse entities: " + invalid.get(), 0);
        }
        String text = plain(html);
        if (text.isEmpty()) {
            return Answer.error(400, "Bad Request: message text is empty", 0);
        }
        if (text.length() > MAX_TEXT) {
            return Answer.error(400, "Bad Request: message is too long", 0);
        }
        long now = System.currentTimeMillis();
        Optional<Integer> topic = json.containsKey("message_thread_id")
                ? Optional.of(json.getInt("message_thread_id")) : Optional.empty();
        synchronized (lock) {
            checkLimits(chatId, now);
            Message message = new Message(chatId, nextMessageId.incrementAndGet(), topic, html, text,
                    buttons(json), json.getBoolean("disable_notification", false), now);
            chats.computeIfAbsent(chatId, c -> new ArrayList<>()).add(message);
            sent.add(message);
            lock.notifyAll();
            return Answer.ok(messageJson(message));
        }
    }

    private Answer editMessageText(JsonObject json) {
        long chatId = Long.parseLong(json.get("chat_id").toString().replace("\"", ""));
        long messageId = json.getJsonNumber("message_id").longValue();
        String html = json.getString("text", "");
        Optional<String> invalid = invalidHtml(html);
        if (invalid.isPresent()) {
            return Answer.error(400, "Bad Request: can't parse entities: " + invalid.get(), 0);
        }
        if (plain(html).length() > MAX_TEXT) {
            return Answer.error(400, "Bad Request: MESSAGE_TOO_LONG", 0);
        }
        synchronized (lock) {
            List<Message> messages = chats.getOrDefault(chatId, List.of());
            for (int i = 0; i < messages.size(); i++) {
                Message old = messages.get(i);
                if (old.messageId() == messageId) {
                    List<List<String>> buttons = buttons(json);
                    if (old.html().equals(html) && old.buttons().equals(buttons)) {
                        return Answer.error(400, "Bad Request: message is not modified: specified new message"
                                + " content and reply markup are exactly the same as a current content and reply"
                                + " markup of the message", 0);
                    }
                    long now = System.currentTimeMillis();
                    checkLimits(chatId, now);
                    Message edited = new Message(chatId, messageId, old.topicId(), html, plain(html), buttons,
                            old.silent(), old.sentAtMillis());
                    messages.set(i, edited);
                    edits.add(edited);
                    lock.notifyAll();
                    return Answer.ok(messageJson(edited));
                }
            }
        }
        return Answer.error(400, "Bad Request: message to edit not found", 0);
    }

    private Answer answerCallbackQuery(JsonObject json) {
        synchronized (lock) {
            callbackAnswers.put(json.getString("callback_query_id"), json.getString("text", ""));
            lock.notifyAll();
        }
        return Answer.ok(JsonValue.TRUE);
    }

    /** Records a breach of Telegram's limits by a message (or edit) to this chat now. */
    private void checkLimits(long chatId, long now) {
        Deque<Long> times = chatSendTimes.computeIfAbsent(chatId, c -> new ArrayDeque<>());
        if (!times.isEmpty() && now - times.peekLast() < CHAT_GAP_MILLIS) {
            breaches.add("chat " + chatId + ": two messages " + (now - times.peekLast()) + " ms apart");
        }
        times.addLast(now);
        while (now - times.peekFirst() >= 60_000) {
            times.removeFirst();
        }
        if (chatId < 0 && times.size() > 20) {
            breaches.add("group " + chatId + ": " + times.size() + " messages within a minute");
        }
        allSendTimes.addLast(now);
        while (now - allSendTimes.peekFirst() >= 1000) {
            allSendTimes.removeFirst();
        }
        if (allSendTimes.size() > 30) {
            breaches.add(allSendTimes.size() + " messages within a second in all");
        }
    }

    private static JsonObject messageJson(Message message) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("message_id", message.messageId())
                .add("date", message.sentAtMillis() / 1000).add("chat", chatJson(message.chatId()))
                .add("text", message.text());
        message.topicId().ifPresent(topic -> json.add("message_thread_id", topic));
        return json.build();
    }

    private static List<List<String>> buttons(JsonObject json) {
        JsonObject markup = json.getJsonObject("reply_markup");
        if (markup == null || !markup.containsKey("inline_keyboard")) {
            return List.of();
        }
        List<List<String>> rows = new ArrayList<>();
        markup.getJsonArray("inline_keyboard").forEach(row -> rows.add(row.asJsonArray().stream()
                .map(button -> button.asJsonObject().getString("callback_data", ""))
                .toList()));
        return rows;
    }

    /** Why Telegram would refuse this HTML, or empty when it parses. */
    static Optional<String> invalidHtml(String html) {
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                Matcher tag = TAG.matcher(html).region(i, html.length());
                if (!tag.lookingAt() || !TAGS.contains(tag.group(2))) {
                    return Optional.of("unsupported start tag at byte offset " + i);
                }
                if (tag.group(1).isEmpty()) {
                    open.push(tag.group(2));
                } else if (open.isEmpty() || !open.pop().equals(tag.group(2))) {
                    return Optional.of("unmatched end tag at byte offset " + i);
                }
                i = tag.end();
            } else if (c == '&') {
                Matcher entity = ENTITY.matcher(html).region(i, html.length());
                if (!entity.lookingAt()) {
                    return Optional.of("unsupported entity at byte offset " + i);
                }
                i = entity.end();
            } else if (c == '>') {
                i++;
            } else {
                i++;
            }
        }
        return open.isEmpty() ? Optional.empty() : Optional.of("unclosed tag <" + open.peek() + ">");
    }

    /** The text a reader sees: tags dropped, entities decoded. */
    static String plain(String html) {
        return html.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&").strip();
    }

    @Override
    public void close() {
        synchronized (lock) {
            outage = true;
            lock.notifyAll();
        }
        server.stop();
    }
}
