package dev.vigil.telegram;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.server.AgentJson;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The whole chain for the bot's integration tests: the real server (embedded MariaDB, default rules) in this JVM
 * with agents that answer what the test says, the Bot API stand-in on loopback, and the bot between them, talking
 * to both over HTTP as in production. Incidents come from the real rules: a filesystem at 95 % opens a warning, at
 * 98 % a critical one, at 50 % it resolves.
 */
final class BotHarness implements AutoCloseable {
    static final String BOT_TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr";
    static final long ADMIN = 1001;
    static final long OPERATOR = 1002;
    static final long VIEWER = 1003;
    static final long STRANGER = 6666;
    /** The notification chat: a group (20 messages a minute). */
    static final long GROUP = -100500;
    /** The server's poller lease lasts 5 s here (renewed every 1.7 s), so a takeover takes seconds. */
    static final java.time.Duration LEASE_TTL = java.time.Duration.ofSeconds(5);
    /** The harness's bot keeps its name over a restart, as a bot on one machine with a fixed id does. */
    static final String INSTANCE = "harness-bot";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final VigilServer server;
    final FakeAgents agents;
    final BotApiStandIn telegram;
    final String apiToken;
    final Path dataDir;
    private Bot bot;

    private BotHarness(VigilServer server, FakeAgents agents, BotApiStandIn telegram, String apiToken, Path dataDir) {
        this.server = server;
        this.agents = agents;
        this.telegram = telegram;
        this.apiToken = apiToken;
        this.dataDir = dataDir;
    }

    /**
     * The server and the stand-in, with the Telegram panel set up as an admin would (the token, the group chat,
     * an admin, an operator and a viewer); the bot is not started yet.
     */
    static BotHarness start() throws Exception {
        // no dry run: manual actions wait for approval instead of being recorded as dry runs
        VigilServer server = VigilServer.start(TestDatabase.serverConfig().withDryRun(false)
                .withTelegramLeaseTtl(LEASE_TTL));
        BotHarness harness = new BotHarness(server, new FakeAgents(), BotApiStandIn.start(BOT_TOKEN),
                TestApi.adminToken(server.port()), TestDatabase.testDir("bot"));
        harness.api("PUT", "/api/v1/settings/telegram", Json.createObjectBuilder().add("token", BOT_TOKEN)
                .add("chats", Json.createArrayBuilder().add(Json.createObjectBuilder().add("chat_id", GROUP)
                        .addNull("topic_id")))
                .add("users", Json.createArrayBuilder().add(user(ADMIN, "admin")).add(user(OPERATOR, "operator"))
                        .add(user(VIEWER, "viewer")))
                .add("min_severity", "warning").add("quiet_non_critical", true).build());
        return harness;
    }

    private static JsonObject user(long id, String role) {
        return Json.createObjectBuilder().add("user_id", id).add("role", role).build();
    }

    /** Starts the bot with only the panel's configuration. */
    Bot startBot() {
        return startBot(Optional.empty(), Optional.empty());
    }

    Bot startBot(Optional<List<ChatTarget>> envChats, Optional<Map<Long, Actor.Role>> envUsers) {
        bot = Bot.start(new BotOptions("http://127.0.0.1:" + server.port(), apiToken, telegram.url(),
                Optional.empty(), envChats, envUsers, dataDir, INSTANCE));
        return bot;
    }

    /**
     * Another bot process on the same server (the caller closes it), named {@code instance}, with a data dir of its
     * own, talking to the Bot API at {@code telegramUrl}: a stand-in of its own shows which bot calls Telegram.
     */
    Bot startOtherBot(String instance, String telegramUrl) {
        return Bot.start(new BotOptions("http://127.0.0.1:" + server.port(), apiToken, telegramUrl,
                Optional.empty(), Optional.empty(), Optional.empty(), TestDatabase.testDir(instance), instance));
    }

    /** Stops the bot as a restart does (its outbox kept on disk); {@link #startBot} starts it again. */
    void stopBot() {
        if (bot != null) {
            bot.close();
            bot = null;
        }
    }

    /** An admin API call; fails the test on an error status. */
    JsonValue api(String method, String path, JsonObject body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + path)).header("Authorization", "Bearer " + apiToken)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isBlank() ? JsonValue.NULL
                : Json.createReader(new StringReader(response.body())).readValue();
    }

    /**
     * A host whose agent the test scripts, polled only when the test says ({@link #poll}); restarts of nginx on it
     * wait for an operator's approval.
     */
    long host(String name) throws Exception {
        agents.serve(name, disksSnapshot(50));
        return api("POST", "/api/v1/hosts", Json.createObjectBuilder().add("name", name)
                .add("url", agents.url(name).toString()).add("token", "read-token-" + name)
                .add("action_token", "action-token-" + name).add("interval_seconds", 3600)
                .add("policy", Json.createObjectBuilder().add("allowed_services", Json.createArrayBuilder()
                        .add("nginx.service")).add("require_approval", true)).build())
                .asJsonObject().getJsonNumber("id").longValue();
    }

    /** A manual action by the test's admin token; returns its id (it waits for approval: see {@link #host}). */
    String action(long hostId, String type, String target) throws Exception {
        return api("POST", "/api/v1/actions", Json.createObjectBuilder().add("host_id", hostId).add("type", type)
                .add("target", target).add("reason", "test").build()).asJsonObject().getString("id");
    }

    /** The host's open incidents once there are {@code count} (the rules decide after the poll returns). */
    List<JsonObject> openIncidents(long hostId, int count) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (true) {
            List<JsonObject> open = api("GET", "/api/v1/incidents?state=open&limit=1000&host=" + hostId, null)
                    .asJsonArray().getValuesAs(JsonObject.class);
            if (open.size() >= count) {
                return open;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("host " + hostId + " has " + open.size() + " open incidents, not " + count);
            }
            Thread.sleep(100);
        }
    }

    /** The audit entries of a Telegram user, newest first. */
    List<JsonObject> audit(long telegramUser) throws Exception {
        return api("GET", "/api/v1/audit?actor=telegram:" + telegramUser, null).asJsonArray()
                .getValuesAs(JsonObject.class);
    }

    /**
     * A user writes {@code text} to the bot in their private chat; returns the bot's reply (the chat's next
     * message), failing when none comes within 20 s.
     */
    BotApiStandIn.Message ask(long user, String text) throws InterruptedException {
        int before = telegram.chat(user).size();
        telegram.userSays(user, user, text);
        telegram.await("a reply to " + text + " from user " + user, java.time.Duration.ofSeconds(20),
                t -> t.chat(user).size() > before);
        return telegram.chat(user).get(before);
    }

    /** The host's agent reports filesystems at these percentages (mounted at /, /d1, /d2, …), and is polled now. */
    void disks(long hostId, String name, double... percents) throws Exception {
        agents.serve(name, disksSnapshot(percents));
        poll(hostId);
    }

    void poll(long hostId) throws Exception {
        api("POST", "/api/v1/hosts/" + hostId + "/refresh", null);
    }

    /** A snapshot whose filesystems are at these percentages (mounted at /, /d1, /d2, …). */
    static JsonObject disksSnapshot(double... percents) {
        JsonArrayBuilder disks = Json.createArrayBuilder();
        for (int i = 0; i < percents.length; i++) {
            disks.add(Json.createObjectBuilder().add("mountpoint", i == 0 ? "/" : "/d" + i)
                    .add("device", "/dev/vd" + i).add("fstype", "ext4").add("total", 1000)
                    .add("used", (long) (percents[i] * 10)).add("free", (long) ((100 - percents[i]) * 10))
                    .add("percent", percents[i]));
        }
        return Json.createObjectBuilder(AgentJson.snapshot(Instant.now(), 5, 20, 10, "active"))
                .add("disk_usage", disks).build();
    }

    @Override
    public void close() {
        stopBot();
        telegram.close();
        agents.close();
        server.close();
    }
}
