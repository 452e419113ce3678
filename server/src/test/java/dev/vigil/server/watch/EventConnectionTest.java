package dev.vigil.server.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import dev.vigil.agent.Agent;
import dev.vigil.server.TestCertificates;
import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.ServerConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event stream's own HTTP/1.1 GET: against scripted answers on a loopback socket, and a real agent over TLS. */
class EventConnectionTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final SSLContext DEFAULT_TLS = AgentTls.context(List.of());

    @TempDir
    Path dir;

    /** A one-connection server that answers {@code answer} and records the request it got. */
    private static final class Scripted implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CompletableFuture<String> request = new CompletableFuture<>();

        Scripted(byte[] answer, boolean thenHold) throws IOException {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        head.write(b);
                    }
                    request.complete(head.toString(StandardCharsets.UTF_8));
                    socket.getOutputStream().write(answer);
                    socket.getOutputStream().flush();
                    if (thenHold) {
                        in.read(); // until the client closes
                    }
                } catch (IOException e) {
                    request.completeExceptionally(e);
                }
            });
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/v1/events?x=1");
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static EventConnection open(Scripted agent) throws IOException {
        return EventConnection.open(agent.uri(), DEFAULT_TLS, SECOND, SECOND,
                Map.of("Authorization", "Bearer read", "Last-Event-ID", "41"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String body(EventConnection connection) throws IOException {
        return new String(connection.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aChunkedStreamIsDecodedAcrossChunksAndTheRequestCarriesTheHeaders() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTRANSFER-ENCODING: chunked\r\n\r\n"
                + "7;ext=1\r\nid: 42\n\r\n" + "1b\r\nevent: unit\ndata: {\"a\":1}\n\n\r\n" + "0\r\n\r\n";
        try (Scripted agent = new Scripted(bytes(answer), false); EventConnection connection = open(agent)) {
            assertEquals(200, connection.status());
            assertEquals("text/event-stream", connection.header("content-type").orElseThrow());
            assertEquals("id: 42\nevent: unit\ndata: {\"a\":1}\n\n", body(connection));
            String request = agent.request.get(5, TimeUnit.SECONDS);
            assertTrue(request.startsWith("GET /api/v1/events?x=1 HTTP/1.1\r\nHost: 127.0.0.1:"), request);
            assertTrue(request.contains("\r\nAuthorization: Bearer read\r\n"), request);
            assertTrue(request.contains("\r\nLast-Event-ID: 41\r\n"), request);
            assertTrue(request.contains("\r\nConnection: close\r\n"), request);
        }
    }

    @Test
    void aBodyOfKnownLengthEndsThereAndOneWithoutEndsAtTheClose() throws Exception {
        String known = "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!and more";
        try (Scripted agent = new Scripted(bytes(known), false); EventConnection connection = open(agent)) {
            assertEquals(404, connection.status());
            assertEquals("nope!", body(connection));
        }
        String untilClose = "HTTP/1.0 200 OK\nContent-Type: text/event-stream\n\n: heartbeat\n\n";
        try (Scripted agent = new Scripted(bytes(untilClose), false); EventConnection connection = open(agent)) {
            assertEquals(200, connection.status(), "LF alone ends lines too");
            assertEquals(": heartbeat\n\n", body(connection));
        }
    }

    @Test
    void garbageIsAnIOExceptionThatSaysWhat() throws Exception {
        record Case(String answer, String message) {
        }
        for (Case bad : List.of(
                new Case("SSH-2.0-OpenSSH_9.2\r\n\r\n", "the agent's answer is not HTTP/1.1"),
                new Case("HTTP/1.1 2x0 OK\r\n\r\n", "the agent's answer has no status code"),
                new Case("HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n",
                        "the agent's answer has a head longer than 16 KiB"),
                new Case("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", "a Content-Length that is no number"),
                new Case("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", "the agent closed the connection inside"
                        + " the answer's headers"))) {
            try (Scripted agent = new Scripted(bytes(bad.answer()), false)) {
                IOException refused = assertThrows(IOException.class, () -> open(agent), bad.answer());
                assertEquals(bad.message(), refused.getMessage());
            }
        }
        String badChunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n";
        try (Scripted agent = new Scripted(bytes(badChunk), false); EventConnection connection = open(agent)) {
            IOException refused = assertThrows(IOException.class, () -> body(connection));
            assertEquals("a chunk size that is no number", refused.getMessage());
        }
        String longChunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n";
        try (Scripted agent = new Scripted(bytes(longChunk), false); EventConnection connection = open(agent)) {
            IOException refused = assertThrows(IOException.class, () -> body(connection));
            assertEquals("a chunk that does not end where its size says", refused.getMessage());
        }
    }

    @Test
    void anAgentThatNeverAnswersTimesOutAndClosingUnblocksARead() throws Exception {
        try (Scripted silent = new Scripted(new byte[0], true)) {
            long start = System.nanoTime();
            assertThrows(java.net.SocketTimeoutException.class, () -> open(silent));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        }
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        try (Scripted agent = new Scripted(bytes(head), true)) {
            EventConnection connection = open(agent);
            CompletableFuture<Throwable> reader = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    connection.body().read();
                    reader.complete(null);
                } catch (IOException e) {
                    reader.complete(e);
                }
            });
            Thread.sleep(200);
            assertTrue(!reader.isDone(), "the read waits for the agent");
            connection.close();
            assertTrue(reader.get(5, TimeUnit.SECONDS) instanceof IOException, "closed under the reader");
        }
    }

    @Test
    void overTlsTheCertificateIsCheckedAndMustNameTheHost() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        TestCertificates.Pair right = certificates.selfSigned("agent", "IP:127.0.0.1");
        TestCertificates.Pair elsewhere = certificates.selfSigned("elsewhere", "DNS:agent.example");
        Path bundle = certificates.bundle("ca.pem", right, elsewhere);
        SSLContext trusting = AgentTls.context(ServerConfig.from(Config.just(ConfigSources.create(
                Map.of("vigil.agents.ca.file", bundle.toString())))).agentsCa());
        try (Agent agent = right.agent("read"); Agent misnamed = elsewhere.agent("read")) {
            URI metrics = URI.create("https://127.0.0.1:" + agent.port() + "/api/v1/metrics");
            try (EventConnection connection = EventConnection.open(metrics, trusting, SECOND, Duration.ofSeconds(10),
                    Map.of("Authorization", "Bearer read"))) {
                assertEquals(200, connection.status());
                assertTrue(Json.createReader(new StringReader(body(connection))).readObject()
                        .containsKey("collected_at"));
            }
            IOException untrusted = assertThrows(IOException.class, () -> EventConnection.open(metrics, DEFAULT_TLS,
                    SECOND, SECOND, Map.of()));
            assertTrue(AgentTls.failure(untrusted).orElseThrow().startsWith("TLS: the agent's certificate is not"
                    + " trusted"), untrusted.toString());
            URI other = URI.create("https://127.0.0.1:" + misnamed.port() + "/api/v1/metrics");
            IOException wrongName = assertThrows(IOException.class, () -> EventConnection.open(other, trusting,
                    SECOND, SECOND, Map.of()));
            assertEquals("TLS: No subject alternative names matching IP address 127.0.0.1 found",
                    AgentTls.failure(wrongName).orElseThrow());
        }
    }
}
