package dev.vigil.telegram;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bot's side of the poller lease against a scripted server: it leads while the server grants the lease, stands
 * by while another holds it, stops leading once its last grant ran out while the server did not answer, and gives
 * the lease up on close.
 */
class PollerLeaseTest {
    private HttpServer server;
    private final List<JsonObject> asked = new CopyOnWriteArrayList<>();
    private final List<Boolean> changes = new CopyOnWriteArrayList<>();
    /** The server's next answer: a status and a body. */
    private volatile int status = 200;
    private volatile String answer = "{\"held\":true,\"holder\":\"me\",\"ttl_seconds\":3}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/telegram/lease", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try (var reader = ServerApi.JSON.createReader(new StringReader(body))) {
            asked.add(reader.readObject());
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private PollerLease lease() {
        return new PollerLease(new ServerApi("http://127.0.0.1:" + server.getAddress().getPort(), "vgl_test"), "me",
                changes::add);
    }

    @Test
    void leadsWhileGrantedAndStopsOnceTheLastGrantRanOutWithoutAnAnswer() throws Exception {
        try (PollerLease lease = lease()) {
            lease.start();
            assertEquals(List.of(true), changes, "the first claim is answered before start returns");
            Eventually.waitFor(() -> asked.size() >= 3); // renewed every third of the 3 s TTL
            assertEquals(List.of(true), changes);

            status = 503;
            answer = "{\"message\":\"the database cannot be reached\"}";
            long lost = System.nanoTime();
            Eventually.waitFor(() -> changes.size() == 2);
            long after = (System.nanoTime() - lost) / 1_000_000;
            assertEquals(List.of(true, false), changes);
            assertTrue(after > 1000 && after < 4000, "stopped when the last grant ran out, after " + after + " ms");

            status = 200;
            answer = "{\"held\":true,\"holder\":\"me\",\"ttl_seconds\":3}";
            Eventually.waitFor(() -> changes.size() == 3);
            assertEquals(List.of(true, false, true), changes, "leads again once granted again");
        }
        assertEquals("me", asked.getLast().getString("holder"));
        assertTrue(asked.getLast().getBoolean("release"), "closing gives the lease up");
        assertTrue(asked.subList(0, asked.size() - 1).stream().noneMatch(a -> a.getBoolean("release")));
    }

    @Test
    void standsByWhileAnotherHoldsItAndReleasesNothing() throws Exception {
        answer = "{\"held\":false,\"holder\":\"other\",\"ttl_seconds\":3}";
        try (PollerLease lease = lease()) {
            lease.start();
            Eventually.waitFor(() -> asked.size() >= 2);
            assertEquals(List.of(), changes);

            answer = "{\"held\":true,\"holder\":\"me\",\"ttl_seconds\":3}";
            Eventually.waitFor(() -> changes.size() == 1);
            answer = "{\"held\":false,\"holder\":\"other\",\"ttl_seconds\":3}";
            Eventually.waitFor(() -> changes.size() == 2);
            assertEquals(List.of(true, false), changes, "another took it over");
        }
        assertTrue(asked.stream().noneMatch(a -> a.getBoolean("release")), "nothing to give up");
    }
}
