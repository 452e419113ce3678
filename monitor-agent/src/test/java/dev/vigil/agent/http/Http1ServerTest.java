package dev.vigil.agent.http;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.vigil.agent.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's HTTP layer on its own: what the resources build on (streams, queries, keep-alive, framing, TLS). */
class Http1ServerTest {
    private static final Http1Server.ErrorBody TEXT = new Http1Server.ErrorBody() {
        @Override
        public String contentType() {
            return "text/plain";
        }

        @Override
        public byte[] render(Status status, String message) {
            return (status.code() + " " + message).getBytes(StandardCharsets.UTF_8);
        }
    };
    private static final Http1Server.Limits LIMITS = new Http1Server.Limits(1024, Duration.ofSeconds(10),
            Duration.ofSeconds(5), 16);

    private final CountDownLatch clientGone = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private Http1Server server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Http1Server start(Optional<SSLContext> tls) throws Exception {
        Resource events = routes -> routes
                .get("/echo", exchange -> exchange.send(Status.OK_200, "text/plain",
                        (String.join(",", exchange.queryAll("since")) + "|" + String.join(",", exchange.queryAll("a b")) + "|"
                                + exchange.header("X-THING").orElse("-")).getBytes(StandardCharsets.UTF_8)))
                .get("/events", exchange -> {
                    OutputStream out = exchange.header("Cache-Control", "no-store")
                            .stream(Status.OK_200, "text/event-stream");
                    try {
                        for (int i = 1; ; i++) {
                            out.write(("id: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            released.await(50, TimeUnit.MILLISECONDS);
                        }
                    } catch (java.io.IOException e) {
                        clientGone.countDown();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        server = Http1Server.start("127.0.0.1", 0, tls,
                Routes.of(exchange -> exchange.send(Status.NOT_FOUND_404, "text/plain", new byte[0]), events),
                TEXT, LIMITS);
        return server;
    }

    @Test
    void aStreamArrivesEventByEventAndItsWriterLearnsWhenTheClientLeaves() throws Exception {
        start(Optional.empty());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("HTTP/1.1 200 OK", in.readLine());
            StringBuilder head = new StringBuilder();
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
            }
            assertTrue(head.toString().contains("Transfer-Encoding: chunked\n"), head.toString());
            assertTrue(head.toString().contains("Content-Type: text/event-stream\n"), head.toString());
            assertTrue(head.toString().contains("Cache-Control: no-store\n"), head.toString());
            assertEquals("7", in.readLine(), "one chunk per flush");
            assertEquals("id: 1", in.readLine());
            assertEquals("", in.readLine());
            assertEquals("", in.readLine());
            assertEquals("7", in.readLine());
            assertEquals("id: 2", in.readLine());
        }
        assertTrue(clientGone.await(10, TimeUnit.SECONDS), "the handler's write fails once the client is gone");
    }

    @Test
    void queriesAndHeadersAreReadAndAConnectionIsKeptForTheNextRequest() throws Exception {
        start(Optional.empty());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /echo?since=17.5&a+b=%C3%A9&since=18 HTTP/1.1\r\nx-thing: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(readAnswer(in).endsWith("\r\n\r\n17.5,18|é|yes"));
            out.write("GET /echo HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(readAnswer(in).endsWith("\r\n\r\n||-"), "the same connection answers again");
        }
    }

    @Test
    void aRequestWithTwoLengthsOrABodyOverTheLimitIsRefusedAndClosed() throws Exception {
        start(Optional.empty());
        for (String head : new String[] {
                "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                "POST /echo HTTP/1.1\r\nContent-Length: 2000\r\n\r\n"}) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith(head.contains("2000") ? "HTTP/1.1 413 " : "HTTP/1.1 400 "), answer);
                assertTrue(answer.contains("Connection: close\r\n"), answer);
            }
        }
    }

    @Test
    void httpsWorksWithAnEcKeyAsOpensslWritesIt() throws Exception {
        Path openssl = TestSupport.requireProgram("openssl", "openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process process = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        start(Optional.of(PemTls.context(cert, key)));
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/echo?since=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("1||-", response.body());

        Files.writeString(key, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PemTls.context(cert, key));
        assertTrue(refused.getMessage().contains("PKCS#8"), refused.getMessage());
    }

    private static String readAnswer(InputStream in) throws Exception {
        StringBuilder answer = new StringBuilder();
        int length = -1;
        while (!answer.toString().endsWith("\r\n\r\n")) {
            answer.append((char) in.read());
        }
        for (String line : answer.toString().split("\r\n")) {
            if (line.startsWith("Content-Length: ")) {
                length = Integer.parseInt(line.substring(16));
            }
        }
        return answer + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("agent", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
