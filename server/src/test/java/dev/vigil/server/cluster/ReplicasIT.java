package dev.vigil.server.cluster;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.server.AgentJson;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerProcess;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.api.EventStream;
import dev.vigil.server.faults.FaultReport;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Server replicas on one MariaDB, each a packaged server in a process of its own (so that one can be killed with
 * SIGKILL), sharing 1,000 simulated hosts: an even split, a dead replica's hosts moved within 2 × TTL with no
 * sample gap longer than that and no decision taken twice, and a replica added later taking its share.
 */
class ReplicasIT {
    private static final int HOSTS = 1000;
    private static final int FULL_DISKS = 50;
    private static final Duration TTL = Duration.ofSeconds(20);
    private static final int POLL_SECONDS = 5;
    private static final Pattern OWNED = Pattern.compile("(?m)^vigil_owned_hosts (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ServerConfig.ExternalDatabase db = TestDatabase.fresh();
    private final String secretKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    private final List<ServerProcess> started = new ArrayList<>();

    private ServerProcess replica(String instance) throws Exception {
        Path data = TestDatabase.testDir("replica-" + instance);
        Files.createDirectories(data);
        ServerProcess server = ServerProcess.start(Map.of("VIGIL_DB_URL", db.url(), "VIGIL_DB_USER", db.user(),
                "VIGIL_DB_PASSWORD", db.password(), "VIGIL_SECRET_KEY", secretKey, "VIGIL_DATA_DIR", data.toString(),
                "VIGIL_RULES_DIR", data.resolve("rules").toString(), "VIGIL_INSTANCE_ID", instance,
                "VIGIL_LEASE_TTL", TTL.toSeconds() + "s", "VIGIL_POLL_INTERVAL", POLL_SECONDS + "s"),
                ServerProcess.freePort(), data.resolve("server.log"));
        started.add(server);
        return server.awaitReady();
    }

    private static int owned(ServerProcess server, String token) {
        HttpResponse<String> metrics = get(server, token, "/metrics");
        Matcher owned = OWNED.matcher(metrics.body());
        assertTrue(owned.find(), "vigil_owned_hosts in " + metrics.body());
        return Integer.parseInt(owned.group(1));
    }

    private static HttpResponse<String> get(ServerProcess server, String token, String path) {
        return send(server, token, "GET", path, HttpRequest.BodyPublishers.noBody());
    }

    private static HttpResponse<String> post(ServerProcess server, String token, String path) {
        return send(server, token, "POST", path, HttpRequest.BodyPublishers.noBody());
    }

    private static HttpResponse<String> send(ServerProcess server, String token, String method, String path,
            HttpRequest.BodyPublisher body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + token).method(method, body).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration await(String what, Duration within, BooleanSupplier condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " within " + within.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static JsonArray fleet(ServerProcess server, String token) {
        return Json.createReader(new StringReader(get(server, token, "/api/v1/fleet").body())).readArray();
    }

    private static BooleanSupplier owning(ServerProcess server, String token, int expected) {
        return () -> owned(server, token) == expected;
    }

    private long single(String sql, Object... params) {
        return TestDatabase.single(db, sql, params);
    }

    @Test
    void replicasShareTheHostsTakeADeadOnesOverWithinTwoTtlsAndMakeRoomForANewOne() throws Exception {
        try (FakeAgents agents = new FakeAgents(); ExecutorService register = Executors.newFixedThreadPool(8)) {
            agents.stampEveryAnswer();
            for (int i = 0; i < HOSTS; i++) {
                agents.serve("h" + i, AgentJson.snapshot(Instant.now(), 10, 20, i < FULL_DISKS ? 93 : 40, "active"));
            }
            ServerProcess a = replica("a");
            ServerProcess b = replica("b");
            String tokenA = TestApi.adminToken(a.port());
            String tokenB = TestApi.adminToken(b.port());
            List<Future<HttpResponse<String>>> registrations = new ArrayList<>();
            for (int i = 0; i < HOSTS; i++) {
                String body = "{\"name\":\"h" + i + "\",\"url\":\"" + agents.url("h" + i)
                        + "\",\"token\":\"t\",\"interval_seconds\":" + POLL_SECONDS + "}";
                registrations.add(register.submit(() -> send(a, tokenA, "POST", "/api/v1/hosts",
                        HttpRequest.BodyPublishers.ofString(body))));
            }
            for (Future<HttpResponse<String>> registration : registrations) {
                assertEquals(201, registration.get().statusCode(), registration.get().body());
            }

            await("an even split of " + HOSTS + " hosts between a and b", Duration.ofSeconds(60),
                    () -> owning(a, tokenA, HOSTS / 2).getAsBoolean() && owning(b, tokenB, HOSTS / 2).getAsBoolean());
            await("every host polled", Duration.ofSeconds(30), () -> {
                for (int i = 0; i < HOSTS; i++) {
                    if (agents.polls("h" + i) == 0) {
                        return false;
                    }
                }
                return true;
            });
            await("an incident for each full disk", Duration.ofSeconds(30),
                    () -> single("SELECT COUNT(*) FROM incidents WHERE open_key IS NOT NULL") == FULL_DISKS);

            for (ServerProcess replica : List.of(a, b)) {
                String token = replica == a ? tokenA : tokenB;
                await("every host up in the fleet view of every instance (the other's hosts from the database)",
                        Duration.ofSeconds(20), () -> {
                            JsonArray fleet = fleet(replica, token);
                            return fleet.size() == HOSTS && fleet.stream().allMatch(
                                    h -> h.asJsonObject().getString("status").equals("up"));
                        });
            }
            try (EventStream onB = new EventStream(b.port())) {
                assertEquals(": connected", onB.comments.poll(10, TimeUnit.SECONDS));
                long incident = single("SELECT MIN(id) FROM incidents WHERE open_key IS NOT NULL");
                assertEquals(200, post(a, tokenA, "/api/v1/incidents/" + incident + "/ack").statusCode());
                EventStream.Sse acknowledged = onB.next("incident_updated", 10);
                assertEquals(incident, acknowledged.data().getJsonNumber("id").longValue(),
                        "an event of replica a reaches the clients of replica b");
                assertEquals("acknowledged", acknowledged.data().getString("state"));
            }
            long ownedByA = single("SELECT MIN(host_id) FROM host_leases WHERE owner = 'a'");
            HttpResponse<String> elsewhere = post(b, tokenB, "/api/v1/hosts/" + ownedByA + "/refresh");
            assertEquals(409, elsewhere.statusCode(), "a refresh on the instance that does not own the host: "
                    + elsewhere.body());
            assertTrue(elsewhere.body().contains("another instance"), elsewhere.body());
            assertEquals(200, post(a, tokenA, "/api/v1/hosts/" + ownedByA + "/refresh").statusCode());

            a.kill();
            Instant killed = Instant.now();
            Duration moved = await("b owning every host after a was killed", TTL.multipliedBy(3),
                    owning(b, tokenB, HOSTS));
            assertTrue(moved.compareTo(TTL.multipliedBy(2)) <= 0, "a's hosts moved to b in " + moved.toMillis()
                    + " ms, within 2 × TTL (" + TTL.multipliedBy(2).toMillis() + " ms)");
            Thread.sleep(Duration.ofSeconds(3L * POLL_SECONDS));
            long gapMillis = single("SELECT MAX(gap) FROM (SELECT TIMESTAMPDIFF(MICROSECOND, LAG(collected_at) OVER"
                    + " (PARTITION BY host_id ORDER BY collected_at), collected_at) / 1000 AS gap FROM samples"
                    + " WHERE collected_at >= ?) gaps", Timestamp.from(killed.minusSeconds(2L * POLL_SECONDS)));
            assertTrue(gapMillis <= TTL.multipliedBy(2).toMillis(), "the longest gap between two samples of one host"
                    + " across the move is " + gapMillis + " ms, within 2 × TTL");
            assertEquals(0, single("SELECT COUNT(*) FROM (SELECT host_id FROM incidents GROUP BY host_id,"
                    + " incident_key HAVING COUNT(*) > 1) twice"), "no incident opened twice across the move");
            assertEquals(FULL_DISKS, single("SELECT COUNT(*) FROM incidents WHERE open_key IS NOT NULL"),
                    "the full disks' incidents stay open, followed by b");
            FaultReport.record("replica killed with SIGKILL under load (1,000 hosts on 2 replicas, TTL "
                    + TTL.toSeconds() + " s)", "kill -9", moved, HOSTS / 2 + " hosts moved within 2 × TTL; longest"
                    + " sample gap " + gapMillis + " ms; no incident opened twice");

            ServerProcess c = replica("c");
            String tokenC = TestApi.adminToken(c.port());
            Duration shared = await("c taking its share from b", Duration.ofSeconds(60),
                    () -> owning(b, tokenB, HOSTS / 2).getAsBoolean() && owning(c, tokenC, HOSTS / 2).getAsBoolean());
            System.out.printf("ReplicasIT: a replica added later owned its half in %d ms%n", shared.toMillis());
            assertEquals(HOSTS, single("SELECT COUNT(*) FROM host_leases WHERE owner IN ('b', 'c')"));
        } finally {
            for (ServerProcess server : started) {
                if (server.process().isAlive()) {
                    server.stop();
                }
            }
        }
    }
}
