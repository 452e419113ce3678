package dev.vigil.telegram;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.telegram.Actor.Role;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands against a scripted stand-in of the server's API: roles before calls, delegation, plain failures. */
class CommandsTest {
    private static final Instant NOW = Instant.parse("2030-05-06T07:08:09Z");
    private static final long VIEWER = 1;
    private static final long OPERATOR = 2;
    private static final long ADMIN = 3;
    private static final long STRANGER = 99;
    private static final long CHAT = -1001;
    private static final UUID ACTION = UUID.fromString("0b5c1234-1111-2222-3333-444455556666");

    /** One call the server saw: method, path and query, the delegation headers, the body. */
    record Call(String method, String path, String user, String role, String body) {
    }

    private record Answer(int status, String body) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> script = new ConcurrentHashMap<>();
    private final RecordingTelegram telegram = new RecordingTelegram();
    private HttpServer server;
    private Commands commands;
    private int updateIds;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
        commands = commands("http://127.0.0.1:" + server.getAddress().getPort());
        script.put("GET /api/v1/hosts", new Answer(200, """
                [{"id": 1, "name": "web-1", "group": "web", "status": "up"},
                 {"id": 2, "name": "db-1", "group": null, "status": "down"}]"""));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Commands commands(String serverUrl) {
        BotConfig config = BotConfig.merge(new BotOptions(serverUrl, "vgl_test", "http://127.0.0.1:9", Optional.empty(),
                Optional.of(List.of(ChatTarget.of(CHAT))), Optional.of(Map.of(VIEWER, Role.VIEWER, OPERATOR,
                Role.OPERATOR, ADMIN, Role.ADMIN)), Path.of("unused"), "test-bot"), BotConfig.Panel.NONE);
        return new Commands(new ServerApi(serverUrl, "vgl_test"), telegram, () -> config,
                () -> Optional.of("vigil_bot"), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().toString();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(new Call(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("X-Vigil-Telegram-User"),
                exchange.getRequestHeaders().getFirst("X-Vigil-Telegram-Role"), body));
        Answer answer = script.getOrDefault(exchange.getRequestMethod() + " " + path,
                new Answer(404, "{\"error\": \"not_found\", \"message\": \"no such thing\"}"));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : bytes.length);
        if (answer.status() != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Update update(String json) {
        try {
            return new ObjectMapper().readValue(json, Update.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void type(long user, String text) {
        commands.handle(update("""
                {"update_id": %d, "message": {"message_id": 5, "date": 1, "text": %s,
                 "chat": {"id": %d, "type": "supergroup"},
                 "from": {"id": %d, "is_bot": false, "first_name": "U", "username": "user%d"}}}
                """.formatted(++updateIds, ServerApi.JSON.createValue(text).toString(), CHAT, user, user)));
    }

    private void press(long user, String data) {
        commands.handle(update("""
                {"update_id": %d, "callback_query": {"id": "q%d", "data": "%s", "chat_instance": "c",
                 "from": {"id": %d, "is_bot": false, "first_name": "U"},
                 "message": {"message_id": 7, "date": 1, "chat": {"id": %d, "type": "supergroup"}}}}
                """.formatted(++updateIds, updateIds, data, user, CHAT)));
    }

    private String lastReply() {
        return telegram.sends().getLast().html();
    }

    private JsonObject body(Call call) {
        return ServerApi.JSON.createReader(new StringReader(call.body())).readObject();
    }

    @Test
    void aStrangerIsRefusedPolitelyAndAuditedWithoutAnyOtherCall() {
        script.put("POST /api/v1/telegram/refusals", new Answer(204, ""));
        type(STRANGER, "/stats");
        assertTrue(lastReply().startsWith("Sorry, you are not allowed to use this Vigil bot."), lastReply());
        assertTrue(lastReply().contains("99"), lastReply());
        assertEquals(1, calls.size(), calls.toString());
        Call refusal = calls.getFirst();
        assertEquals("POST /api/v1/telegram/refusals", refusal.method() + " " + refusal.path());
        assertEquals(null, refusal.user(), "the bot reports as itself");
        assertEquals(ServerApi.JSON.createObjectBuilder().add("user_id", 99).add("username", "user99")
                .add("command", "/stats").build(), body(refusal));

        press(STRANGER, "a:" + ACTION);
        assertEquals(List.of("Sorry, you are not allowed to use this Vigil bot. A Vigil admin can add your Telegram"
                + " user id 99 in the Telegram panel."), telegram.answers());
        assertEquals("button approve", body(calls.getLast()).getString("command"));
        assertEquals(2, calls.size());
    }

    @Test
    void aRoleTooLowIsRefusedBeforeTheServerIsAsked() {
        script.put("POST /api/v1/telegram/refusals", new Answer(204, ""));
        type(VIEWER, "/approve " + ACTION);
        assertEquals("Sorry, this needs the operator role; yours is viewer.", lastReply());
        press(OPERATOR, "b:1");
        assertEquals(List.of("Sorry, this needs the admin role; yours is operator."), telegram.answers());
        assertEquals(List.of("/approve", "button reboot"), calls.stream().map(c -> body(c).getString("command"))
                .toList());
    }

    @Test
    void anOperatorApprovesAsThemself() {
        script.put("POST /api/v1/actions/" + ACTION + "/approve", new Answer(200, """
                {"id": "%s", "host_id": 1, "type": "restart_service", "target": "nginx.service",
                 "status": "approved"}""".formatted(ACTION)));
        type(OPERATOR, "/approve@vigil_bot " + ACTION);
        assertEquals("Approved: restart service nginx.service (now approved).", lastReply());
        Call approve = calls.getLast();
        assertEquals("2", approve.user());
        assertEquals("operator", approve.role());
    }

    @Test
    void aPressOnADecidedActionSaysByWhom() {
        script.put("POST /api/v1/actions/" + ACTION + "/reject", new Answer(409,
                "{\"error\": \"conflict\", \"message\": \"the action is not pending\"}"));
        script.put("GET /api/v1/actions/" + ACTION, new Answer(200, """
                {"id": "%s", "status": "succeeded", "decided_by": "alice"}""".formatted(ACTION)));
        press(OPERATOR, "r:" + ACTION);
        assertEquals(List.of("Already approved by alice (now succeeded)."), telegram.answers());
    }

    @Test
    void anAcknowledgedOrResolvedIncident() {
        script.put("POST /api/v1/incidents/7/ack", new Answer(409, "{\"error\": \"conflict\", \"message\": \"x\"}"));
        script.put("GET /api/v1/incidents/7", new Answer(200, "{\"id\": 7, \"state\": \"resolved\"}"));
        press(OPERATOR, "k:7");
        type(OPERATOR, "/ack #8");
        assertEquals(List.of("That incident is already resolved."), telegram.answers());
        assertEquals("There is no incident #8.", lastReply());
    }

    @Test
    void muteAHostForTwoHours() {
        script.put("POST /api/v1/maintenance", new Answer(201, "{\"id\": 1}"));
        type(OPERATOR, "/mute WEB-1 2h");
        Call window = calls.getLast();
        assertEquals("POST /api/v1/maintenance", window.method() + " " + window.path());
        assertEquals(1, body(window).getInt("host_id"));
        assertEquals("2030-05-06T09:08:09Z", body(window).getString("ends_at"));
        assertEquals("Muted web-1 until 2030-05-06 09:08 UTC: no actions run on it meanwhile.", lastReply());
        type(OPERATOR, "/mute web 1d");
        assertEquals("web", body(calls.getLast()).getString("group"));
        type(OPERATOR, "/mute nowhere 1h");
        assertEquals("There is no host or group nowhere. /hosts lists them.", lastReply());
        type(OPERATOR, "/mute web-1 8d");
        assertTrue(lastReply().startsWith("The duration must be such as 30m, 2h or 1d"), lastReply());
        type(OPERATOR, "/mute web-1");
        assertEquals("Usage: /mute &lt;host|group&gt; &lt;duration&gt;", lastReply());
    }

    @Test
    void aRebootIsConfirmedFirst() {
        type(ADMIN, "/reboot db-1");
        assertTrue(lastReply().startsWith("Reboot <b>db-1</b>?"), lastReply());
        assertEquals("b:2", telegram.sends().getLast().buttons().orElseThrow().getKeyboard().getFirst().getFirst()
                .getCallbackData());
        script.put("GET /api/v1/hosts/2", new Answer(200, "{\"id\": 2, \"name\": \"db-1\"}"));
        script.put("POST /api/v1/actions", new Answer(201, """
                {"id": "%s", "host_id": 2, "type": "reboot", "target": "db-1", "status": "pending_approval"}
                """.formatted(ACTION)));
        press(ADMIN, "b:2");
        JsonObject proposal = body(calls.getLast());
        assertEquals("reboot", proposal.getString("type"));
        assertEquals("db-1", proposal.getString("target"));
        assertEquals("admin", calls.getLast().role());
        assertEquals(List.of("Reboot of db-1 proposed: pending approval."), telegram.answers());
        assertEquals(ACTION.toString(), Buttons.parse(telegram.edits().getLast().buttons().orElseThrow()
                .getKeyboard().getFirst().getFirst().getCallbackData()).orElseThrow().id());
    }

    @Test
    void commandsForAnotherBotAndPlainTextAreLeftAlone() {
        type(STRANGER, "/stats@other_bot");
        type(STRANGER, "hello");
        assertEquals(List.of(), calls);
        assertEquals(List.of(), telegram.calls);
    }

    @Test
    void everyPressIsAnsweredEvenAForgedOne() {
        press(OPERATOR, "zz");
        press(OPERATOR, "p:nothing:2");
        assertEquals(List.of("That button is no longer valid.", "That button is no longer valid."), telegram.answers());
    }

    @Test
    void anUnreachableServerIsOneSentence() throws IOException {
        server.stop(0);
        type(VIEWER, "/stats");
        assertEquals("The Vigil server cannot be reached right now. Try again in a minute.", lastReply());
        press(OPERATOR, "k:7");
        assertEquals(List.of("The Vigil server cannot be reached right now. Try again in a minute."),
                telegram.answers());
    }

    @Test
    void hostsArePagedByEditingTheMessage() {
        StringBuilder hosts = new StringBuilder("[");
        for (int i = 1; i <= 60; i++) {
            hosts.append(i > 1 ? "," : "").append("{\"id\": ").append(i).append(", \"name\": \"h-").append(i)
                    .append("\", \"status\": \"up\"}");
        }
        script.put("GET /api/v1/hosts", new Answer(200, hosts.append("]").toString()));
        type(VIEWER, "/hosts");
        assertTrue(lastReply().endsWith("<i>Page 1 of 3</i>"), lastReply());
        press(VIEWER, "p:hosts:3");
        assertTrue(telegram.edits().getLast().html().contains("h-60"));
        assertTrue(telegram.edits().getLast().html().endsWith("<i>Page 3 of 3</i>"));
        assertEquals(List.of("Page 3"), telegram.answers());
    }
}
