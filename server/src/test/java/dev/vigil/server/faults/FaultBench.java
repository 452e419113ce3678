package dev.vigil.server.faults;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import dev.vigil.server.AgentJson;
import dev.vigil.server.FakeAgents;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerProcess;
import dev.vigil.server.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A packaged server, its database and simulated agents (each answer a sample of its own), with what every fault
 * scenario checks: every snapshot an agent answered is a stored sample, and how long the recovery took.
 */
final class FaultBench {
    static final int INTERVAL_SECONDS = 5;

    final FakeAgents agents;
    final ServerProcess server;
    private final ServerConfig.ExternalDatabase db;
    private final Map<String, Long> hosts = new ConcurrentHashMap<>();

    FaultBench(FakeAgents agents, ServerProcess server, ServerConfig.ExternalDatabase db) {
        this.agents = agents;
        this.server = server;
        this.db = db;
        agents.stampEveryAnswer();
    }

    long register(String name, double rootDiskPercent) throws Exception {
        agents.serve(name, AgentJson.snapshot(Instant.now(), 10, 20, rootDiskPercent, "active"));
        var created = server.call("POST", "/api/v1/hosts", "{\"name\":\"" + name + "\",\"url\":\""
                + agents.url(name) + "\",\"token\":\"t\",\"interval_seconds\":" + INTERVAL_SECONDS + "}");
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created.body()).getJsonNumber("id").longValue();
        hosts.put(name, id);
        return id;
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** {@code GET path} with an admin's token; its JSON object. */
    JsonObject get(String path) {
        try {
            var answer = server.call("GET", path, null);
            assertEquals(200, answer.statusCode(), answer.body());
            return json(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long id(String name) {
        return hosts.get(name);
    }

    JsonObject latest(String name) {
        return get("/api/v1/hosts/" + id(name) + "/latest");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    void update(String sql, Object... params) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        }
    }

    long single(String sql, Object... params) {
        return TestDatabase.single(db, sql, params);
    }

    long samples(String name) {
        return single("SELECT COUNT(*) FROM samples WHERE host_id = ?", hosts.get(name));
    }

    long incidents(String name) {
        return single("SELECT COUNT(*) FROM incidents WHERE host_id = ?", hosts.get(name));
    }

    /**
     * Every snapshot the agents answered so far becomes a sample within {@code within}, and no sample is one they
     * did not answer; how long the last of them took.
     */
    Duration everyAnswerStored(List<String> names, Duration within) throws InterruptedException {
        Map<String, Integer> answered = new ConcurrentHashMap<>();
        names.forEach(name -> answered.put(name, agents.snapshotsAnswered(name)));
        Duration took = await("every answer of " + names + " stored (" + answered + ")", within,
                () -> names.stream().allMatch(name -> samples(name) >= answered.get(name)));
        for (String name : names) {
            long stored = samples(name);
            assertTrue(stored <= agents.snapshotsAnswered(name), name + ": " + stored + " samples from "
                    + agents.snapshotsAnswered(name) + " answers");
        }
        return took;
    }

    /** How long after {@code healed} the host's latest sample is a fresh one again (collected after the heal). */
    Duration freshAgain(String name, Instant healed) throws InterruptedException {
        await(name + " back to fresh samples", Duration.ofSeconds(6L * INTERVAL_SECONDS), () -> {
            JsonObject latest = latest(name);
            if (!latest.getString("status").equals("up") || latest.isNull("snapshot")) {
                return false;
            }
            Instant collected = Instant.parse(latest.getJsonObject("snapshot").getString("collected_at"));
            return !collected.isBefore(healed) && collected.isBefore(Instant.now().plusSeconds(5));
        });
        return Duration.between(healed, Instant.now());
    }

    static Duration await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > within.toNanos()) {
                fail(what + " within " + within.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
