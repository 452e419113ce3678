package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.vigil.server.ActionEndpoint;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.api.EventStream.Sse;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/events}: an action's way through the stages as Server-Sent Events, and a reconnect. */
class EventsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anActionsProposalDispatchAndOutcomeAreStreamedAndAReconnectGetsWhatItMissed() throws Exception {
        ServerConfig d = TestDatabase.serverConfig();
        try (ActionEndpoint agent = new ActionEndpoint();
             VigilServer server = VigilServer.start(d.withDryRun(false))) {
            int port = server.port();
            HttpResponse<String> host = call(port, "POST", "/api/v1/hosts", "{\"name\":\"web-1\",\"url\":\""
                    + agent.url() + "\",\"token\":\"t\",\"action_token\":\"a\",\"interval_seconds\":3600,"
                    + "\"policy\":{\"allowed_services\":[\"nginx.service\"]}}");
            assertEquals(201, host.statusCode(), host.body());
            long hostId = Json.createReader(new StringReader(host.body())).readObject().getJsonNumber("id")
                    .longValue();

            String actionId;
            long proposedEventId;
            try (EventStream stream = new EventStream(port)) {
                assertEquals(": connected", stream.comments.poll(10, TimeUnit.SECONDS));
                HttpResponse<String> created = call(port, "POST", "/api/v1/actions", "{\"host_id\":" + hostId
                        + ",\"type\":\"restart_service\",\"target\":\"nginx.service\",\"reason\":\"by hand\"}");
                assertEquals(201, created.statusCode(), created.body());
                actionId = Json.createReader(new StringReader(created.body())).readObject().getString("id");

                Sse proposed = stream.next();
                Sse dispatched = stream.next();
                Sse finished = stream.next();
                assertEquals(List.of("action_proposed", "action_dispatched", "action_finished"),
                        List.of(proposed.type(), dispatched.type(), finished.type()));
                for (Sse event : List.of(proposed, dispatched, finished)) {
                    assertEquals(actionId, event.data().getString("id"), event.toString());
                }
                assertEquals("approved", proposed.data().getString("status"));
                assertEquals("dispatched", dispatched.data().getString("status"));
                assertEquals("succeeded", finished.data().getString("status"));
                proposedEventId = proposed.id();
            }

            try (EventStream again = new EventStream(port, proposedEventId)) {
                assertEquals(List.of("action_dispatched", "action_finished"),
                        List.of(again.next().type(), again.next().type()), "what came after the last one seen");
            }
        }
    }

    @Test
    void acknowledgingAndResolvingByHandAreStreamed() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        try (VigilServer server = VigilServer.start(config)) {
            int port = server.port();
            HttpResponse<String> host = call(port, "POST", "/api/v1/hosts", "{\"name\":\"web-1\",\"url\":"
                    + "\"http://127.0.0.1:9/\",\"token\":\"t\",\"interval_seconds\":3600}");
            assertEquals(201, host.statusCode(), host.body());
            long hostId = Json.createReader(new StringReader(host.body())).readObject().getJsonNumber("id")
                    .longValue();
            long incident = TestDatabase.openIncident(config.database().orElseThrow(), hostId, "by-hand");
            try (EventStream stream = new EventStream(port)) {
                assertEquals(": connected", stream.comments.poll(10, TimeUnit.SECONDS));
                assertEquals(200, call(port, "POST", "/api/v1/incidents/" + incident + "/ack", null).statusCode());
                Sse acknowledged = stream.next();
                assertEquals("incident_updated", acknowledged.type());
                assertEquals("acknowledged", acknowledged.data().getString("state"));
                assertEquals(200, call(port, "POST", "/api/v1/incidents/" + incident + "/resolve", null)
                        .statusCode());
                Sse resolved = stream.next();
                assertEquals("incident_resolved", resolved.type());
                assertEquals(incident, resolved.data().getJsonNumber("id").longValue());
            }
        }
    }

    @Test
    void replacingARulesFileIsStreamedOnceTheNewRulesRun() throws Exception {
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            int port = server.port();
            String cpu = Json.createReader(new StringReader(call(port, "GET", "/api/v1/rules/cpu.drl", null).body()))
                    .readObject().getString("content");
            try (EventStream stream = new EventStream(port)) {
                assertEquals(": connected", stream.comments.poll(10, TimeUnit.SECONDS));
                HttpResponse<String> put = call(port, "PUT", "/api/v1/rules/cpu.drl", Json.createObjectBuilder()
                        .add("content", cpu + "\n// tuned\n").build().toString());
                assertEquals(200, put.statusCode(), put.body());
                Sse reloaded = stream.next();
                assertEquals("rules_reloaded", reloaded.type());
                assertTrue(reloaded.data().getJsonArray("files").toString().contains("cpu.drl"), reloaded.toString());
                assertTrue(reloaded.data().getInt("rules") > 30, reloaded.toString());
            }
        }
    }

    /** Replaces cpu.drl by itself plus a comment: one rules_reloaded event. */
    private static void touchRules(int port) throws Exception {
        String cpu = Json.createReader(new StringReader(call(port, "GET", "/api/v1/rules/cpu.drl", null).body()))
                .readObject().getString("content");
        HttpResponse<String> put = call(port, "PUT", "/api/v1/rules/cpu.drl", Json.createObjectBuilder()
                .add("content", cpu + "\n// touched " + System.nanoTime() + "\n").build().toString());
        assertEquals(200, put.statusCode(), put.body());
    }

    @Test
    void idsGoOnIncreasingAcrossACleanRestartAndAClientThatSawTheStopResumesWithoutAReset() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        long stoppingId;
        VigilServer first = VigilServer.start(config);
        try (EventStream stream = new EventStream(first.port())) {
            assertEquals(": connected", stream.comments.poll(10, TimeUnit.SECONDS));
            touchRules(first.port());
            long reloadedId = stream.next().id();
            first.close();
            Sse stopping = stream.next();
            assertEquals("server_stopping", stopping.type());
            stoppingId = stopping.id();
            assertTrue(stoppingId >= reloadedId, "server_stopping carries the last id delivered");
        }
        try (VigilServer second = VigilServer.start(config);
             EventStream resumed = new EventStream(second.port(), stoppingId)) {
            assertEquals(": connected", resumed.comments.poll(10, TimeUnit.SECONDS));
            touchRules(second.port());
            Sse next = resumed.next();
            assertEquals("rules_reloaded", next.type(), "no reset: nothing was missed");
            assertTrue(next.id() > stoppingId, next.id() + " after " + stoppingId);
        }
    }

    @Test
    void aClientThatMissedEventsAcrossARestartGetsThemFromTheDatabase() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        long reloadedId;
        long missedId;
        try (VigilServer first = VigilServer.start(config);
             EventStream stream = new EventStream(first.port())) {
            assertEquals(": connected", stream.comments.poll(10, TimeUnit.SECONDS));
            touchRules(first.port());
            reloadedId = stream.next().id();
            touchRules(first.port()); // missed by a client that stopped at the first reload
            missedId = stream.next().id();
        }
        try (VigilServer second = VigilServer.start(config);
             EventStream resumed = new EventStream(second.port(), Optional.of(Long.toString(reloadedId)))) {
            Sse missed = resumed.next();
            assertEquals("rules_reloaded", missed.type(), "replayed, not a reset");
            assertEquals(missedId, missed.id());
        }
    }

    @Test
    void aClientWhoseEventsAreNoLongerKeptOrSendsAnIdNeverGivenOutIsToldToReload() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        try (VigilServer second = VigilServer.start(config)) {
            for (String lastSeen : List.of("1", "not-a-number", Long.toString(Long.MAX_VALUE))) {
                try (EventStream resumed = new EventStream(second.port(), Optional.of(lastSeen))) {
                    Sse reset = resumed.next();
                    assertEquals("reset", reset.type(), "Last-Event-ID " + lastSeen);
                    assertTrue(reset.data().getString("reason").contains("event"), reset.toString());
                    touchRules(second.port());
                    Sse next = resumed.next();
                    assertEquals("rules_reloaded", next.type());
                    assertTrue(next.id() > reset.id(), next + " after " + reset);
                }
            }
        }
    }

    @Test
    void aClientWithoutLastEventIdGetsOnlyTheEventsFromThenOn() throws Exception {
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig());
             EventStream early = new EventStream(server.port())) {
            assertEquals(": connected", early.comments.poll(10, TimeUnit.SECONDS));
            touchRules(server.port());
            assertEquals("rules_reloaded", early.next().type());
            try (EventStream late = new EventStream(server.port())) {
                assertEquals(": connected", late.comments.poll(10, TimeUnit.SECONDS));
                touchRules(server.port());
                Sse second = early.next();
                assertEquals(second, late.next(), "the reload after it connected, not the one before");
                assertEquals(null, late.events.poll(1, TimeUnit.SECONDS));
            }
        }
    }
}
