package dev.vigil.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each unit's {@code ExecStart}, run outside systemd as systemd would run it ({@link ServiceRun}): it starts, is
 * healthy, and ends cleanly on SIGTERM. For {@code Type=notify} units a unix datagram socket stands in for systemd's
 * notify socket: READY=1 comes once the service answers, WATCHDOG=1 while it does, and a stopped JVM stops the pings.
 */
class UnitRunIT {
    /** WatchdogSec=3s: vigil-notify checks and pings every second (a third of it). */
    private static final String WATCHDOG_USEC = "3000000";
    /** The embedded MariaDB's first start unpacks it and creates the schema. */
    private static final Duration START = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path runDirectory(Unit unit) throws IOException {
        Path runs = Files.createDirectories(Path.of("target/unit-runs"));
        return Files.createTempDirectory(runs.toAbsolutePath(), unit.name() + "-");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Asserts that {@code path} answers 200 now. */
    private static void answers(int port, String path, ServiceRun run) throws InterruptedException {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(200, status, path + "\n" + run.output());
        } catch (IOException e) {
            fail(path + " does not answer (" + e + ")\n" + run.output());
        }
    }

    /** Waits for {@code assignment} on the notify socket while the service runs; fails with its output otherwise. */
    private static void await(NotifyListener listener, String assignment, Duration within, ServiceRun run)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (listener.await(assignment, Duration.ofSeconds(1))) {
                return;
            }
            if (!run.alive()) {
                fail("exited before " + assignment + "\n" + run.output());
            }
        }
        fail("no " + assignment + " within " + within.toSeconds() + " s\n" + run.output());
    }

    @TestFactory
    Stream<DynamicTest> eachNotifyUnitIsReadyWhenHealthyPingsTheWatchdogUntilItHangsAndStopsCleanly() {
        return Unit.all().stream().filter(Unit::notifies).map(unit -> DynamicTest.dynamicTest(unit.name(), () -> {
            HostTools.require("systemd-notify");
            HostTools.require("curl");
            Path directory = runDirectory(unit);
            int port = freePort();
            try (NotifyListener listener = NotifyListener.start(directory);
                 ServiceRun run = ServiceRun.start(unit, directory, port, Map.of(
                         "NOTIFY_SOCKET", listener.socket().toString(), "WATCHDOG_USEC", WATCHDOG_USEC))) {
                await(listener, "READY=1", START, run);
                answers(port, "/health/live", run);
                answers(port, "/health/ready", run);
                assertTrue(ProcessHandle.of(run.pid()).flatMap(p -> p.info().command()).orElse("").endsWith("java"),
                        "the launcher execs the JVM, so systemd's main PID (and SIGSTOP here) is the JVM's");
                await(listener, "WATCHDOG=1", Duration.ofSeconds(15), run);

                run.signal("STOP");
                Thread.sleep(3000); // a check already answered may still be pinged
                listener.clear();
                assertFalse(listener.await("WATCHDOG=1", Duration.ofSeconds(5)),
                        "a stopped JVM answers no /health/live, so nothing may ping the watchdog");
                run.signal("CONT");
                await(listener, "WATCHDOG=1", Duration.ofSeconds(15), run);

                int exit = run.stop();
                assertTrue(run.cleanExits().contains(exit), "exit " + exit + " after SIGTERM\n" + run.output());
                // only vigil-notify speaks for the service: a child that inherits the socket (mariadbd says READY=1
                // when the database is up, long before the server) could tell systemd the service were ready
                List<String> others = listener.everything().stream().filter(m -> !m.equals("listening")
                        && !List.of("READY=1", "WATCHDOG=1", "BARRIER=1").contains(m)).toList();
                assertEquals(List.of(), others, "notifications from others than vigil-notify");
            }
        }));
    }

    @Test
    void underSystemdAPortChosenAtStartIsAConfigurationError() throws Exception {
        Unit agent = Unit.named("vigil-agent");
        Path directory = runDirectory(agent);
        try (ServiceRun run = ServiceRun.start(agent, directory, 0,
                Map.of("NOTIFY_SOCKET", directory.resolve("absent.sock").toString()))) {
            Integer exit = run.awaitExit(Duration.ofSeconds(30));
            assertEquals(2, exit, run.output());
            assertTrue(run.output().contains("needs a fixed port"), run.output());
        }
    }

    /**
     * The bot serves no HTTP, so "it runs" means: it asks the server it is given for the cluster's poller lease with
     * its API token (docs/telegram.md; the settings come once it holds it), is still running 5 s later (a server
     * that answers 503 is no reason to stop), and ends cleanly.
     */
    @Test
    void theBotUnitReachesItsServerKeepsRunningAndStopsCleanly() throws Exception {
        Unit bot = Unit.named("vigil-telegram-bot");
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"error\":\"a stand-in\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (ServiceRun run = ServiceRun.start(bot, runDirectory(bot), server.getAddress().getPort(), Map.of())) {
            String expected = "POST /api/v1/telegram/lease Bearer deploy-test-api-token";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!expected.equals(requests.poll(1, TimeUnit.SECONDS))) {
                if (System.nanoTime() > deadline || !run.alive()) {
                    fail("the bot did not ask for the poller lease: " + requests + "\n" + run.output());
                }
            }
            assertEquals(null, run.awaitExit(Duration.ofSeconds(5)), run.output());
            int exit = run.stop();
            assertTrue(run.cleanExits().contains(exit), "exit " + exit + " after SIGTERM\n" + run.output());
        } finally {
            server.stop(0);
        }
    }
}
