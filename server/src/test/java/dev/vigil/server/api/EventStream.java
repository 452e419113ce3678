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

import dev.vigil.server.TestApi;
import dev.vigil.server.events.SampleSummaries;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Reads one event stream of the server into a queue of events on a thread of its own. */
public final class EventStream implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public record Sse(long id, String type, JsonObject data) {
    }

    final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

    public EventStream(int port) {
        this(port, Optional.empty());
    }

    public EventStream(int port, long lastEventId) {
        this(port, Optional.of(Long.toString(lastEventId)));
    }

    public EventStream(int port, Optional<String> lastEventId) {
        HttpRequest.Builder request = TestApi.authorized(URI.create("http://127.0.0.1:" + port
                + "/api/v1/events"));
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", id));
        response = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        Thread.ofVirtual().start(() -> {
            try (java.util.stream.Stream<String> lines = response.join().body()) {
                List<String> block = new ArrayList<>();
                lines.forEach(line -> {
                    if (!line.isEmpty()) {
                        block.add(line);
                        return;
                    }
                    parse(block);
                    block.clear();
                });
            } catch (RuntimeException closed) {
                comments.add("closed: " + closed.getMessage());
            }
        });
    }

    private void parse(List<String> block) {
        long id = 0;
        String type = null;
        String data = null;
        for (String line : block) {
            if (line.startsWith(":")) {
                comments.add(line);
            } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = line.substring(6);
            }
        }
        if (type != null) {
            events.add(new Sse(id, type, Json.createReader(new StringReader(data)).readObject()));
        }
    }

    /** The next event that is not a {@code samples} one (those come every poll, between all others). */
    public Sse next() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Sse event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(event, "no event within 10 s");
            if (!event.type().equals(SampleSummaries.EVENT)) {
                return event;
            }
        }
    }

    /** The next event of this type, skipping others. */
    public Sse next(String type, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Sse event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(event, "no " + type + " event within " + seconds + " s");
            if (event.type().equals(type)) {
                return event;
            }
        }
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
