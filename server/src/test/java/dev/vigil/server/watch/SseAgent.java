package dev.vigil.server.watch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.AgentJson;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A loopback stand-in of an agent with an event stream (issue 14's spec): {@code /api/v1/metrics} answers a
 * snapshot whose nginx is in the state the test sets, and counts the polls; {@code /api/v1/events} answers
 * {@link #eventsStatus} — with 200, a stream whose frames the test writes through the {@link Connection} it takes.
 */
final class SseAgent implements AutoCloseable {
    private static final String CLOSE = "\0close";

    /** One connection to the event stream: what it asked with, and the frames the test sends on it. */
    static final class Connection {
        final Optional<String> lastEventId;
        final String authorization;
        private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>();

        Connection(Optional<String> lastEventId, String authorization) {
            this.lastEventId = lastEventId;
            this.authorization = authorization;
        }

        /** Sends these bytes as they are (frames end in a blank line). */
        void send(String raw) {
            outbox.add(raw);
        }

        /** Ends the stream, as an agent that goes away. */
        void close() {
            outbox.add(CLOSE);
        }
    }

    final AtomicReference<String> nginx = new AtomicReference<>("active");
    /** The collected_at of the snapshots served; null: the clock's now. */
    final AtomicReference<Instant> collectedAt = new AtomicReference<>();
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger eventsStatus = new AtomicInteger(200);
    final AtomicInteger eventRequests = new AtomicInteger();
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final java.util.List<Connection> live = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpServer server;

    SseAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/v1/metrics", exchange -> {
            Instant at = collectedAt.get();
            byte[] body = AgentJson.snapshot(at == null ? Instant.now() : at, 10, 40, 50, nginx.get()).toString()
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            polls.incrementAndGet();
        });
        server.createContext("/api/v1/events", this::events);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    private void events(HttpExchange exchange) throws IOException {
        eventRequests.incrementAndGet();
        int status = eventsStatus.get();
        if (status != 200) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        Connection connection = new Connection(
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Last-Event-ID")),
                exchange.getRequestHeaders().getFirst("Authorization"));
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        connections.add(connection);
        live.add(connection);
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            out.write(": open\n\n".getBytes(StandardCharsets.UTF_8)); // the headers go out now, as an agent's do
            out.flush();
            for (String raw = connection.outbox.take(); !raw.equals(CLOSE); raw = connection.outbox.take()) {
                out.write(raw.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the server closed the stream: what some tests expect
        } finally {
            live.remove(connection);
        }
    }

    /** The next connection to the event stream, waiting at most {@code within}. */
    Connection connection(Duration within) throws InterruptedException {
        Connection next = connections.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(next, "no connection to the event stream within " + within);
        return next;
    }

    /** A connection made since the last taken, if any, without waiting. */
    Optional<Connection> anotherConnection() {
        return Optional.ofNullable(connections.poll());
    }

    /** A unit event as the spec frames it, at the clock's now. */
    static String unit(String id, String unit, String activeState) {
        return "id: " + id + "\nevent: unit\ndata: {\"id\":\"" + id + "\",\"at\":\"" + Instant.now()
                + "\",\"unit\":\"" + unit + "\",\"active_state\":\"" + activeState + "\",\"sub_state\":\""
                + (activeState.equals("active") ? "running" : activeState) + "\",\"load_state\":\"loaded\"}\n\n";
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        live.forEach(Connection::close);
        server.stop(0);
    }
}
