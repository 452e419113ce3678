package dev.vigil.server.watch;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real server with an agent stand-in that has an event stream, polled once a minute: what the stream says
 * reaches the rules at once, and polling goes on whatever the stream does.
 */
class AgentStreamsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Generous: two cores shared with other builds; the next poll is a minute away all the same. */
    private static final Duration SOON = Duration.ofSeconds(10);

    private SseAgent agent;
    private VigilServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        agent = new SseAgent();
        server = VigilServer.start(TestDatabase.serverConfig());
        token = TestApi.adminToken(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    @Test
    void aFailedUnitOnTheStreamOpensItsIncidentAndRestartWithoutAPoll() throws Exception {
        long host = register();
        SseAgent.Connection stream = agent.connection(SOON);
        assertEquals("Bearer read-token", stream.authorization);
        assertEquals(Optional.empty(), stream.lastEventId, "a first connection asks for live events only");
        awaitLatest(host);
        int polls = agent.polls.get();

        Instant sent = Instant.now();
        stream.send(SseAgent.unit("1764540000123-7", "nginx.service", "failed"));
        await("the incident of the failed unit", () -> openIncidentKeys().contains("service:nginx.service"));
        await("a restart of nginx proposed", () -> !restarts().isEmpty());
        assertTrue(Duration.between(sent, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0,
                "decided well before the next poll, a minute away");
        assertEquals(polls, agent.polls.get(), "no poll was needed");
        assertEquals(1, metric("vigil_agent_streams_open"));
        assertEquals(1, metric("vigil_agent_stream_events_total"));
        assertEquals(0, metric("vigil_hosts_polling_alone"));
        Thread.sleep(1000);
        assertEquals(polls, metric("vigil_samples_written_total"), "a partial sample goes to the rules, not the store");
    }

    @Test
    void aPollTakenBeforeAnEventButArrivingAfterItDoesNotUndoIt() throws Exception {
        long host = register();
        SseAgent.Connection stream = streaming(host);
        agent.collectedAt.set(Instant.now());
        Thread.sleep(5);
        stream.send(SseAgent.unit("1764540000123-7", "nginx.service", "failed"));
        await("the incident of the failed unit", () -> openIncidentKeys().contains("service:nginx.service"));

        assertEquals(200, call("POST", "/api/v1/hosts/" + host + "/refresh", null).statusCode());
        Thread.sleep(500);
        assertTrue(openIncidentKeys().contains("service:nginx.service"),
                "the poll's snapshot (nginx active) was taken before the event: the event still holds");
        assertEquals(1, restarts().size(), "one restart, not one per flip");

        agent.collectedAt.set(null);
        assertEquals(200, call("POST", "/api/v1/hosts/" + host + "/refresh", null).statusCode());
        await("a poll taken after the event resolves it", () -> !openIncidentKeys().contains("service:nginx.service"));
    }

    @Test
    void aBrokenStreamReconnectsWithTheLastEventIdAndWorksAgain() throws Exception {
        long host = register();
        SseAgent.Connection first = streaming(host);
        first.send(": heartbeat\n\n");
        first.send(SseAgent.unit("1764540000123-7", "nginx.service", "active"));
        await("the event counted", () -> metric("vigil_agent_stream_events_total") == 1);
        first.close();

        SseAgent.Connection second = agent.connection(SOON);
        assertEquals(Optional.of("1764540000123-7"), second.lastEventId);
        await("the reconnect counted", () -> metric("vigil_agent_stream_reconnects_total") == 1);
        second.send(SseAgent.unit("1764540000123-8", "nginx.service", "failed"));
        await("the incident of the failed unit", () -> openIncidentKeys().contains("service:nginx.service"));
        assertEquals(1, agent.polls.get(), "the stream alone told the rules");
    }

    @Test
    void aResetPollsTheHostAtOnce() throws Exception {
        long host = register();
        SseAgent.Connection stream = streaming(host);
        int polls = agent.polls.get();
        agent.nginx.set("failed");

        stream.send("event: reset\ndata: {\"reason\":\"1764540000000-3 is older than the ring\"}\n\n");
        await("a poll", () -> agent.polls.get() > polls);
        await("the incident the poll found", () -> openIncidentKeys().contains("service:nginx.service"));
    }

    @Test
    void anAgentWithoutTheStreamIsPolledAloneAndAskedAgainRarely() throws Exception {
        agent.eventsStatus.set(404);
        long host = register();
        awaitLatest(host);
        await("the stream asked for", () -> agent.eventRequests.get() == 1);
        Thread.sleep(2500); // longer than the first backoffs of a broken stream
        assertEquals(1, agent.eventRequests.get(), "404: not asked again soon");
        assertEquals(0, metric("vigil_agent_streams_open"));
        assertEquals(1, metric("vigil_hosts_polling_alone"));
    }

    @Test
    void garbageDropsTheStreamAndItReconnects() throws Exception {
        long host = register();
        SseAgent.Connection first = streaming(host);
        first.send("x".repeat(20 * 1024)); // a line longer than 16 KiB
        SseAgent.Connection second = agent.connection(SOON);
        second.send("event: unit\ndata: {\"unit\":5}\n\n"); // not the spec's unit
        agent.connection(SOON);
        assertEquals(0, metric("vigil_agent_stream_events_total"));
        assertEquals(List.of(), openIncidentKeys());
        assertEquals(1, agent.polls.get(), "polling is untouched");
    }

    @Test
    void aRemovedHostsStreamIsClosed() throws Exception {
        long host = register();
        SseAgent.Connection stream = streaming(host);
        await("the stream open", () -> metric("vigil_agent_streams_open") == 1);
        assertEquals(204, call("DELETE", "/api/v1/hosts/" + host, null).statusCode());
        await("the stream closed", () -> metric("vigil_agent_streams_open") == 0);
        assertEquals(0, metric("vigil_hosts_polling_alone"));
        stream.send(SseAgent.unit("1764540000123-9", "nginx.service", "failed"));
        Thread.sleep(1500);
        assertEquals(Optional.empty(), agent.anotherConnection(), "not reconnected");
        assertEquals(0, metric("vigil_agent_stream_events_total"));
    }

    @Test
    void streamsCanBeTurnedOff() throws Exception {
        server.close();
        ServerConfig off = TestDatabase.serverConfig().withAgentEvents(false);
        server = VigilServer.start(off);
        token = TestApi.adminToken(server.port());
        long host = register();
        awaitLatest(host);
        Thread.sleep(500);
        assertEquals(0, agent.eventRequests.get());
        assertEquals(1, metric("vigil_hosts_polling_alone"));
    }

    /** web-1 on the stand-in, polled every minute, nginx allowed to be restarted; its id. */
    private long register() throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/hosts", "{\"name\":\"web-1\",\"url\":\"" + agent.url()
                + "\",\"token\":\"read-token\",\"interval_seconds\":60,\"policy\":{\"allowed_services\":"
                + "[\"nginx.service\"]}}");
        assertEquals(201, created.statusCode(), created.body());
        return object(created.body()).getJsonNumber("id").longValue();
    }

    /** The host's stream, once its first poll is in the server's memory (what events are applied to). */
    private SseAgent.Connection streaming(long host) throws Exception {
        SseAgent.Connection stream = agent.connection(SOON);
        awaitLatest(host);
        return stream;
    }

    /** The host's first poll is in the server's memory: what events are applied to. */
    private void awaitLatest(long host) throws Exception {
        await("the first poll", () -> object(call("GET", "/api/v1/hosts/" + host + "/latest", null).body())
                .get("snapshot") instanceof JsonObject);
    }

    private List<String> openIncidentKeys() throws Exception {
        return Json.createReader(new StringReader(call("GET", "/api/v1/incidents?state=open", null).body()))
                .readArray().getValuesAs(JsonObject.class).stream().map(i -> i.getString("key")).toList();
    }

    private List<JsonObject> restarts() throws Exception {
        return Json.createReader(new StringReader(call("GET", "/api/v1/actions", null).body())).readArray()
                .getValuesAs(JsonObject.class).stream()
                .filter(a -> a.getString("type").equals("restart_service")
                        && a.getString("target").equals("nginx.service")).toList();
    }

    private long metric(String name) throws Exception {
        String text = call("GET", "/metrics", null).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Long.parseLong(line.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + SOON + ": " + what);
            }
            Thread.sleep(25);
        }
    }
}
