package dev.vigil.agent.collect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.collect.Snapshot.ProbeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Probes against real services on loopback: a JDK HTTP server, a listening and a closed TCP port. */
class ProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final AtomicInteger status = new AtomicInteger(200);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        releaseSlow.countDown();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** One round of checks, waited for as the sampler never does. */
    private static ProbeResult checkOnce(Prober prober) throws InterruptedException {
        for (Thread check : prober.launch()) {
            check.join();
        }
        return prober.latest().getFirst();
    }

    @Test
    void anHttpProbePassesOn200To399AndCountsFailuresInARowUntilItPassesAgain() throws Exception {
        try (Prober prober = new Prober(List.of(Probe.parse("nginx=" + url("/healthz"))), TIMEOUT)) {
            ProbeResult passed = checkOnce(prober);
            assertEquals(new ProbeResult("nginx", "nginx.service", url("/healthz"), true, passed.latencyMs(), null, 0),
                    passed);
            assertTrue(passed.latencyMs() > 0 && passed.latencyMs() < TIMEOUT.toMillis(), passed.toString());

            status.set(503);
            ProbeResult failed = checkOnce(prober);
            assertEquals("HTTP 503", failed.error());
            assertEquals(1, failed.consecutiveFailures());
            assertEquals(2, checkOnce(prober).consecutiveFailures());
            assertEquals(3, checkOnce(prober).consecutiveFailures());

            status.set(302);
            ProbeResult redirected = checkOnce(prober);
            assertTrue(redirected.ok(), "a redirect is an answer; it is not followed: " + redirected);
            assertEquals(0, redirected.consecutiveFailures());
            status.set(404);
            assertEquals(1, checkOnce(prober).consecutiveFailures(), "a new streak starts from one");
        }
    }

    @Test
    void aSlowAnswerFailsAtTheTimeoutAndIsNotCheckedTwiceAtOnce() throws Exception {
        try (Prober prober = new Prober(List.of(Probe.parse("app=" + url("/slow"))), TIMEOUT)) {
            List<Thread> first = prober.launch();
            assertEquals(1, first.size());
            assertEquals(List.of(), prober.launch(), "the first check is still running");
            assertEquals(List.of(), prober.latest(), "no result before the first check ends");
            first.getFirst().join();
            ProbeResult timedOut = prober.latest().getFirst();
            assertEquals("timed out after 500ms", timedOut.error());
            assertEquals(1, timedOut.consecutiveFailures());
            assertTrue(timedOut.latencyMs() >= 450 && timedOut.latencyMs() < 5_000, timedOut.toString());
        }
    }

    @Test
    void aTcpProbePassesWhenThePortAcceptsAndFailsWhenItIsClosed() throws Exception {
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = closed.getLocalPort();
        }
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Prober prober = new Prober(List.of(
                     Probe.parse("redis-server.service=tcp://127.0.0.1:" + listening.getLocalPort()),
                     Probe.parse("memcached=tcp://127.0.0.1:" + closedPort)), TIMEOUT)) {
            for (int round = 1; round <= 2; round++) {
                for (Thread check : prober.launch()) {
                    check.join();
                }
                List<ProbeResult> results = prober.latest();
                ProbeResult redis = results.get(0);
                assertTrue(redis.ok(), redis.toString());
                assertEquals("redis-server.service", redis.unit());
                assertNull(redis.error());
                ProbeResult memcached = results.get(1);
                assertEquals("memcached.service", memcached.unit());
                assertEquals("connection refused", memcached.error());
                assertEquals(round, memcached.consecutiveFailures());
            }
        }
    }

    @Test
    void aClosedHttpPortIsConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = closed.getLocalPort();
        }
        try (Prober prober = new Prober(List.of(Probe.parse("web=http://127.0.0.1:" + closedPort + "/")), TIMEOUT)) {
            ProbeResult refused = checkOnce(prober);
            assertEquals("connection refused", refused.error(), refused.toString());
        }
    }
}
