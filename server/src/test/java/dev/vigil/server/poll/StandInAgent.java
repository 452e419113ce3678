package dev.vigil.server.poll;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A misbehaving agent on loopback: answers /api/v1/metrics the way its {@link Behaviour} says. */
final class StandInAgent implements AutoCloseable {
    enum Behaviour { SLOW, STALLS_MID_BODY, SERVER_ERROR, GARBAGE, HUGE, HUGE_UNDECLARED, WRONG_SHAPE, UNAUTHORIZED }

    private final HttpServer server;

    StandInAgent(Behaviour behaviour) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/v1/metrics", exchange -> answer(exchange, behaviour));
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange, Behaviour behaviour) throws IOException {
        try (exchange) {
            switch (behaviour) {
                case SLOW -> {
                    sleep(5_000);
                    send(exchange, 200, "{}");
                }
                case STALLS_MID_BODY -> {
                    exchange.sendResponseHeaders(200, 1000);
                    exchange.getResponseBody().write("{\"hostname\":".getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    sleep(5_000);
                }
                case SERVER_ERROR -> send(exchange, 500, "{\"error\":\"internal\"}");
                case GARBAGE -> send(exchange, 200, "<html>this is not the agent</html>");
                case WRONG_SHAPE -> send(exchange, 200, "{\"hostname\":\"x\",\"cpu\":42}");
                case UNAUTHORIZED -> send(exchange, 401, "{}");
                case HUGE, HUGE_UNDECLARED -> {
                    // 0 is chunked: no Content-Length says how much is coming
                    exchange.sendResponseHeaders(200, behaviour == Behaviour.HUGE ? 10L * 1024 * 1024 : 0);
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) ' ');
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 160; i++) {
                            out.write(chunk);
                        }
                    } catch (IOException clientGaveUp) {
                        // the poller stops reading at its limit and closes the connection: that is the point
                    }
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
