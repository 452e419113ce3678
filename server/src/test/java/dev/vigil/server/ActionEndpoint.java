package dev.vigil.server;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * An agent's {@code POST /api/v1/actions} on loopback that plays back scripted answers (status, body) and records
 * each request; once the script is used up it answers every action {@code succeeded}.
 */
public final class ActionEndpoint implements AutoCloseable {
    public record Request(String authorization, JsonObject body) {
    }

    private final Queue<Map.Entry<Integer, String>> answers = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public ActionEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/v1/actions", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"),
                    Json.createReader(new StringReader(body)).readObject()));
            Map.Entry<Integer, String> answer = answers.poll();
            byte[] bytes = (answer == null ? "{\"status\":\"succeeded\",\"detail\":\"done\"}" : answer.getValue())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 200 : answer.getKey(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The next request gets this answer. */
    public ActionEndpoint then(int status, String body) {
        answers.add(Map.entry(status, body));
        return this;
    }

    public List<Request> requests() {
        return requests;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
