package dev.vigil.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.time.Clock;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.Agent;
import dev.vigil.agent.api.SseClient.Frame;
import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.events.EventLog;
import dev.vigil.agent.http.Http1Server;
import dev.vigil.agent.http.Routes;
import dev.vigil.agent.testing.StandInSystemd;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/v1/events end to end: the real agent, a real dbus-daemon and the stand-in systemd signalling its
 * units' changes, and HTTP clients reading the stream.
 */
class EventsHttpTest {
    private static final String READ = "read-token-1";
    private static final String ACTION = "action-token-2";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Agent agent(String busAddress, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "vigil.agent.watch.services", "nginx.service,redis.service",
                "vigil.agent.sample.interval", "500ms",
                "vigil.agent.action.token", ACTION,
                "vigil.agent.state.dir", dir.resolve("state").toString(),
                "dbus.system.bus.address", busAddress));
        settings.putAll(extra);
        return Agent.start(AgentHttpTest.config(settings));
    }

    /** Waits until the agent reports {@code unit} in {@code activeState}: its unit reader is connected. */
    private static JsonObject service(Agent agent, String unit, String activeState) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonArray services = AgentHttpTest.json(AgentHttpTest.get(agent, "/api/v1/metrics", "Bearer " + READ))
                    .getJsonArray("services");
            for (JsonValue service : services) {
                JsonObject object = service.asJsonObject();
                if (object.getString("unit").equals(unit) && object.getString("active_state").equals(activeState)) {
                    return object;
                }
            }
            assertTrue(System.nanoTime() < deadline, unit + " is not " + activeState + ": " + services);
            Thread.sleep(100);
        }
    }

    private static void assertUnitEvent(Frame frame, String instance, long seq, String unit, String active,
                                        String sub, Instant notBefore) {
        assertEquals(instance + "-" + seq, frame.id(), frame.toString());
        assertEquals("unit", frame.event());
        JsonObject data = frame.json();
        assertEquals(List.of("id", "at", "unit", "active_state", "sub_state", "load_state"),
                List.copyOf(data.keySet()));
        assertEquals(frame.id(), data.getString("id"));
        Instant at = Instant.parse(data.getString("at"));
        assertTrue(!at.isBefore(notBefore.minusMillis(1)) && !at.isAfter(Instant.now()), at + " vs " + notBefore);
        assertEquals(unit, data.getString("unit"));
        assertEquals(active, data.getString("active_state"));
        assertEquals(sub, data.getString("sub_state"));
        assertEquals("loaded", data.getString("load_state"));
    }

    private static long seq(Frame frame) {
        return Long.parseLong(frame.id().substring(frame.id().indexOf('-') + 1));
    }

    private static String instance(Frame frame) {
        return frame.id().substring(0, frame.id().indexOf('-'));
    }

    @Test
    void unitChangesReachTheStreamInOrderAndAResumeReplaysWhatWasMissed() throws Exception {
        Instant beforeStart = Instant.now();
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "active", "running")
                     .setState("redis.service", "active", "running");
             Agent agent = agent(bus.address(), Map.of())) {
            service(agent, "nginx.service", "active");
            Instant start = Instant.now();
            String lastId;
            String instance;
            try (SseClient client = SseClient.open(agent, READ, null)) {
                assertEquals(200, client.status());
                assertEquals("text/event-stream", client.header("Content-Type"));
                assertEquals("no-store", client.header("Cache-Control"));
                systemd.setState("nginx.service", "failed", "failed");
                systemd.setState("redis.service", "activating", "start");
                systemd.setState("redis.service", "active", "running");
                // each unit's changes in order; across units a read between two signals may tell redis's first
                List<Frame> frames = List.of(client.nextEvent(WAIT), client.nextEvent(WAIT), client.nextEvent(WAIT));
                instance = instance(frames.getFirst());
                assertTrue(Long.parseLong(instance) >= beforeStart.toEpochMilli()
                        && Long.parseLong(instance) <= start.toEpochMilli(), "the agent's start time: " + instance);
                List<Frame> redis = frames.stream().filter(f -> f.data().contains("redis.service")).toList();
                Frame nginx = frames.stream().filter(f -> f.data().contains("nginx.service")).findFirst().orElseThrow();
                assertEquals(2, redis.size(), frames.toString());
                assertUnitEvent(nginx, instance, seq(nginx), "nginx.service", "failed", "failed", start);
                assertUnitEvent(redis.get(0), instance, seq(redis.get(0)), "redis.service", "activating", "start",
                        start);
                assertUnitEvent(redis.get(1), instance, seq(redis.get(1)), "redis.service", "active", "running",
                        start);
                assertEquals(List.of(1L, 2L, 3L), frames.stream().map(EventsHttpTest::seq).toList(),
                        "ids in sequence, none skipped");
                assertTrue(seq(redis.get(0)) < seq(redis.get(1)), frames.toString());
                lastId = frames.getLast().id();
            }
            // the snapshot shows the change too
            assertEquals("failed", service(agent, "nginx.service", "failed").getString("sub_state"));

            systemd.setState("nginx.service", "activating", "start");
            systemd.setState("nginx.service", "active", "running");
            awaitService(agent, "nginx.service", "active");
            try (SseClient resumed = SseClient.open(agent, READ, lastId)) {
                assertUnitEvent(resumed.nextEvent(WAIT), instance, 4, "nginx.service", "activating", "start", start);
                assertUnitEvent(resumed.nextEvent(WAIT), instance, 5, "nginx.service", "active", "running", start);
                systemd.setState("redis.service", "failed", "failed");
                assertUnitEvent(resumed.nextEvent(WAIT), instance, 6, "redis.service", "failed", "failed", start);
            }
            try (SseClient upToDate = SseClient.open(agent, READ, instance + "-6")) {
                systemd.setState("redis.service", "active", "running");
                assertUnitEvent(upToDate.nextEvent(WAIT), instance, 7, "redis.service", "active", "running", start);
            }
        }
    }

    private static void awaitService(Agent agent, String unit, String activeState) throws Exception {
        service(agent, unit, activeState);
    }

    @Test
    void signalsThatOnlyNameTheChangedPropertiesAreReadBack() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "active", "running")
                     .setState("redis.service", "active", "running")
                     .signalInvalidatedOnly();
             Agent agent = agent(bus.address(), Map.of());
             SseClient client = awaitConnected(agent)) {
            Instant start = Instant.now();
            systemd.setState("nginx.service", "failed", "failed");
            Frame frame = client.nextEvent(WAIT);
            assertUnitEvent(frame, instance(frame), 1, "nginx.service", "failed", "failed", start);
        }
    }

    /** A stream opened once the agent's unit reader has read (and so subscribed). */
    private SseClient awaitConnected(Agent agent) throws Exception {
        service(agent, "nginx.service", "active");
        return SseClient.open(agent, READ, null);
    }

    @Test
    void anIdFromAnotherInstanceOrMalformedStartsWithAReset() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "active", "running")
                     .setState("redis.service", "active", "running");
             Agent agent = agent(bus.address(), Map.of())) {
            String instance;
            try (SseClient client = awaitConnected(agent)) {
                systemd.setState("nginx.service", "failed", "failed");
                instance = instance(client.nextEvent(WAIT));
            }
            long anHourAgo = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
            for (String lastId : List.of(anHourAgo + "-1", "garbage", instance + "-99", instance + "-1-1")) {
                try (SseClient client = SseClient.open(agent, READ, lastId)) {
                    Frame reset = client.next(WAIT);
                    assertEquals("reset", reset.event(), lastId);
                    assertNull(reset.id());
                    assertEquals(Set.of("reason"), reset.json().keySet());
                    systemd.setState("redis.service", "failed", "failed");
                    assertEquals("failed", client.nextEvent(WAIT).json().getString("active_state"));
                    systemd.setState("redis.service", "active", "running");
                    assertEquals("active", client.nextEvent(WAIT).json().getString("active_state"));
                }
            }
        }
    }

    @Test
    void theBusGoingAwayAndComingBackIsFollowed() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             Agent agent = agent(bus.address(), Map.of())) {
            SseClient client;
            try (StandInSystemd systemd = StandInSystemd.export(bus.address())
                    .setState("nginx.service", "active", "running")
                    .setState("redis.service", "active", "running")) {
                client = awaitConnected(agent);
            }
            // systemd is gone; it comes back with nginx failed, which the next read finds, then signals again
            try (client; StandInSystemd systemd = StandInSystemd.export(bus.address())
                    .setState("nginx.service", "failed", "failed")
                    .setState("redis.service", "active", "running")) {
                Frame found = client.nextEvent(WAIT);
                assertEquals("nginx.service", found.json().getString("unit"));
                assertEquals("failed", found.json().getString("active_state"));
                systemd.setState("redis.service", "failed", "failed");
                assertEquals("redis.service", client.nextEvent(WAIT).json().getString("unit"));
            }
        }
    }

    @Test
    void heartbeatsKeepAQuietStreamAlive() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             Agent agent = agent(bus.address(), Map.of("vigil.agent.events.heartbeat", "200ms"));
             SseClient client = SseClient.open(agent, READ, null)) {
            assertEquals("heartbeat", client.next(WAIT).comment());
            assertEquals("heartbeat", client.next(WAIT).comment());
        }
    }

    @Test
    void theStreamNeedsTheReadToken() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             Agent agent = agent(bus.address(), Map.of())) {
            var missing = AgentHttpTest.get(agent, "/api/v1/events", null);
            assertEquals(401, missing.statusCode());
            assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, AgentHttpTest.get(agent, "/api/v1/events", "Bearer wrong").statusCode());
            var action = AgentHttpTest.get(agent, "/api/v1/events", "Bearer " + ACTION);
            assertEquals(403, action.statusCode());
            assertEquals("forbidden", AgentHttpTest.json(action).getString("error"));
        }
    }

    @Test
    void atMost32StreamsAreOpen() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             Agent agent = agent(bus.address(), Map.of("vigil.agent.events.heartbeat", "200ms"))) {
            List<SseClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 32; i++) {
                    open.add(SseClient.open(agent, READ, null));
                    assertEquals(200, open.getLast().status());
                }
                var refused = AgentHttpTest.get(agent, "/api/v1/events", "Bearer " + READ);
                assertEquals(503, refused.statusCode());
                assertTrue(AgentHttpTest.json(refused).getString("message").contains("32"));
                open.removeFirst().close();
                long deadline = System.nanoTime() + WAIT.toNanos();
                int status;
                do {
                    // the agent notices the closed stream at its next write: a heartbeat at the latest
                    try (SseClient again = SseClient.open(agent, READ, null)) {
                        status = again.status();
                    }
                } while (status != 200 && System.nanoTime() < deadline);
                assertEquals(200, status);
            } finally {
                for (SseClient client : open) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aProbeGoingDownAndUpEmitsEvents() throws Exception {
        HttpServer web = healthyServer(new InetSocketAddress("127.0.0.1", 0));
        int port = web.getAddress().getPort();
        String target = "http://127.0.0.1:" + port + "/health";
        try (DbusDaemon bus = DbusDaemon.start(dir);
             Agent agent = agent(bus.address(), Map.of("vigil.agent.probes", "web=" + target,
                     "vigil.agent.probe.timeout", "500ms"));
             SseClient client = SseClient.open(agent, READ, null)) {
            awaitProbe(agent, true);
            web.stop(0);
            Frame down = client.nextEvent(WAIT);
            assertEquals("probe", down.event());
            JsonObject data = down.json();
            assertEquals(List.of("id", "at", "name", "unit", "target", "ok", "latency_ms", "error",
                    "consecutive_failures"), List.copyOf(data.keySet()));
            assertEquals("web", data.getString("name"));
            assertEquals("web.service", data.getString("unit"));
            assertEquals(target, data.getString("target"));
            assertEquals(JsonValue.FALSE, data.get("ok"));
            assertEquals(1, data.getInt("consecutive_failures"));
            assertEquals(2, client.nextEvent(WAIT).json().getInt("consecutive_failures"));

            web = healthyServer(new InetSocketAddress("127.0.0.1", port));
            JsonObject up;
            do {
                up = client.nextEvent(WAIT).json();
            } while (!up.getBoolean("ok"));
            assertEquals(0, up.getInt("consecutive_failures"));
            assertEquals(JsonValue.NULL, up.get("error"));
        } finally {
            web.stop(0);
        }
    }

    private static HttpServer healthyServer(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void awaitProbe(Agent agent, boolean ok) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonArray probes = AgentHttpTest.json(AgentHttpTest.get(agent, "/api/v1/metrics", "Bearer " + READ))
                    .getJsonArray("probes");
            if (!probes.isEmpty() && probes.getJsonObject(0).getBoolean("ok") == ok) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "probe not ok=" + ok + ": " + probes);
            Thread.sleep(100);
        }
    }

    /**
     * Over the agent's own HTTP glue (the unit signals above are too small to fill a stalled client's socket
     * buffers quickly): a client that stops reading is cut once 256 events wait for it, the other one reads on.
     */
    @Test
    void aReaderThatStopsReadingIsCutWhileAFastOneKeepsReceiving() throws Exception {
        EventLog events = new EventLog(Clock.systemUTC(), Duration.ofMinutes(1));
        Http1Server server = Http1Server.start("127.0.0.1", 0, Optional.empty(),
                Routes.of(ApiErrors.NOT_FOUND, new EventsService(new TokenAuth(READ, Optional.empty()), events)),
                ApiErrors.BODY, new Http1Server.Limits(1024, Duration.ofMinutes(1), Duration.ofSeconds(10), 16));
        String padding = "x".repeat(32 * 1024);
        try (SseClient fast = SseClient.open(server.port(), READ, null);
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(2048);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
            slow.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + READ + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream slowBody = slow.getInputStream();
            assertEquals("HTTP/1.1 200", new String(slowBody.readNBytes(12), StandardCharsets.US_ASCII));
            long published = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (events.streams() == 2 && System.nanoTime() < deadline) {
                for (int i = 0; i < 8; i++) {
                    events.publish("unit", (id, at) -> ("{\"id\":\"" + id + "\",\"pad\":\"" + padding + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < 8; i++) {
                    assertTrue(fast.nextEvent(WAIT).id().endsWith("-" + ++published), "the fast reader misses nothing");
                }
            }
            assertEquals(1, events.streams(), "the slow stream is cut, the fast one stays");
            // once it reads again it finds the end of the stream, not an endless one
            slow.setSoTimeout(10_000);
            try {
                slowBody.transferTo(OutputStream.nullOutputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the slow stream was not closed", e);
            } catch (IOException e) {
                // reset by the agent: closed as well
            }
            events.publish("unit", (id, at) -> ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
            Frame last = fast.nextEvent(WAIT);
            assertEquals(last.id(), last.json().getString("id"));
            assertTrue(last.id().endsWith("-" + (published + 1)), last.id());
        } finally {
            events.close();
            server.close();
        }
    }
}
