package dev.vigil.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
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
 * answer keeps the snapshot's {@code collected_at} unless {@link #stampEveryAnswer} was called. An agent can be made
 * to misbehave ({@link #misbehave}): flap, answer garbage, or run its clock off.
 */
public final class FakeAgents implements AutoCloseable {
    /** How an agent misbehaves until {@link #heal}. */
    public sealed interface Fault {
    }

    /** Every other poll the connection is closed without an answer. */
    public record Flapping() implements Fault {
    }

    /** Answers 200 with this many random bytes. */
    public record Garbage(int bytes) implements Fault {
    }

    /** Stamps its answers this far off the true time. */
    public record ClockOff(Duration by) implements Fault {
    }

    private final Map<String, JsonObject> snapshots = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> historyRequests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> snapshotsAnswered = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
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
            int poll = polls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            Fault fault = faults.get(name);
            if (fault instanceof Flapping && poll % 2 == 0) {
                exchange.close();
                return;
            }
            if (fault instanceof Garbage(int bytes)) {
                byte[] garbage = new byte[bytes];
                new Random(poll).nextBytes(garbage);
                exchange.sendResponseHeaders(200, garbage.length);
                exchange.getResponseBody().write(garbage);
                exchange.close();
                return;
            }
            JsonObject snapshot = snapshots.get(name);
            if (snapshot != null && stampNow) {
                Instant now = fault instanceof ClockOff(Duration by) ? Instant.now().plus(by) : Instant.now();
                snapshot = Json.createObjectBuilder(snapshot).add("collected_at", now.toString()).build();
            }
            if (snapshot != null) {
                snapshotsAnswered.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
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

    /** The agent {@code name} misbehaves so from its next poll on. */
    public void misbehave(String name, Fault fault) {
        faults.put(name, fault);
    }

    /** The agent {@code name} behaves again. */
    public void heal(String name) {
        faults.remove(name);
    }

    /** How many snapshots the agent {@code name} answered (each a sample, with {@link #stampEveryAnswer}). */
    public int snapshotsAnswered(String name) {
        AtomicInteger count = snapshotsAnswered.get(name);
        return count == null ? 0 : count.get();
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
