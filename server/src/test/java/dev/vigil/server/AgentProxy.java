package dev.vigil.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in front of one agent that can be cut: while cut it answers 503 to everything, as an
 * agent behind a broken network path would fail; otherwise it passes GETs through with their Authorization.
 */
public final class AgentProxy implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final HttpServer server;
    private volatile boolean cut;

    public AgentProxy(URI agent) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            if (cut) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(agent.resolve(exchange.getRequestURI().toString()));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<byte[]> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type")
                        .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1
                        : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Cut (every request 503) or pass through. */
    public void cut(boolean cut) {
        this.cut = cut;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
