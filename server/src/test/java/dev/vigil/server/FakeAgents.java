package dev.vigil.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Agents on loopback, one per name under {@code /<name>}: each answers {@code GET …/api/v1/metrics} with the
 * snapshot it was given, or 500 while it has none, and counts the polls it got; any other path is 404 (they are
 * agents from before the event stream and the history endpoint), and the requests for history are counted. Each
 * answer keeps the snapshot's {@code collected_at} unless {@link #stampEveryAnswer} was called.
 */
public final class FakeAgents implements AutoCloseable {
    private final Map<String, JsonObject> snapshots = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> historyRequests = new ConcurrentHashMap<>();
    private final HttpServer server;
    private volatile boolean stampNow;

    public FakeAgents() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().split("/")[1];
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/" + name + "/api/v1/metrics")) {
                if (path.equals("/" + name + "/api/v1/metrics/history")) {
                    historyRequests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                }
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            polls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            JsonObject snapshot = snapshots.get(name);
            if (snapshot != null && stampNow) {
                snapshot = Json.createObjectBuilder(snapshot).add("collected_at", Instant.now().toString()).build();
            }
            byte[] body = (snapshot == null ? "{\"error\":\"down\"}" : snapshot.toString())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(snapshot == null ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Every answer from now on is collected at the time of the poll, as a real agent's: each poll a sample. */
    public void stampEveryAnswer() {
        stampNow = true;
    }

    /** The agent {@code name} answers with this snapshot from now on. */
    public void serve(String name, JsonObject snapshot) {
        snapshots.put(name, snapshot);
    }

    /** The agent {@code name} answers 500 from now on. */
    public void fail(String name) {
        snapshots.remove(name);
    }

    public int polls(String name) {
        AtomicInteger count = polls.get(name);
        return count == null ? 0 : count.get();
    }

    /** Requests to {@code name} for its history (answered 404). */
    public int historyRequests(String name) {
        AtomicInteger count = historyRequests.get(name);
        return count == null ? 0 : count.get();
    }

    public URI url(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
