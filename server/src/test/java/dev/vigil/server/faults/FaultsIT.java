package dev.vigil.server.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.vigil.server.FakeAgents;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerProcess;
import dev.vigil.server.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault-injection suite's agent and rules scenarios against one packaged server (docs/reliability.md): agents
 * that flap, answer 10 MB of garbage or run an hour ahead, and a rules folder filled with garbage. For each, every
 * snapshot an agent answered is a stored sample, nothing is decided from the fault, and the time to recover is
 * reported ({@link FaultReport}). The short form runs in every {@code verify}; {@code -Dvigil.faults=long}
 * (bench/faults.sh) holds each fault longer.
 */
class FaultsIT {
    private static final Duration FAULT = FaultReport.LONG ? Duration.ofMinutes(5) : Duration.ofSeconds(30);
    private static final List<String> STEADY = List.of("steady-1", "steady-2", "steady-3");
    private static final List<String> MISBEHAVING = List.of("flapping", "garbage", "clock");

    private static Path rules;
    private static FaultBench bench;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(TestDatabase.testDir("faults"));
        rules = dir.resolve("rules");
        ServerConfig.ExternalDatabase db = TestDatabase.fresh();
        FakeAgents agents = new FakeAgents();
        bench = new FaultBench(agents, ServerProcess.start(Map.of("VIGIL_DB_URL", db.url(), "VIGIL_DB_USER",
                db.user(), "VIGIL_DB_PASSWORD", db.password(), "VIGIL_DATA_DIR", dir.resolve("data").toString(),
                "VIGIL_RULES_DIR", rules.toString()), ServerProcess.freePort(), dir.resolve("server.log"))
                .awaitReady(), db);
        for (String name : STEADY) {
            bench.register(name, 40);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench == null) {
            return;
        }
        try {
            bench.everyAnswerStored(STEADY, Duration.ofSeconds(15));
        } finally {
            bench.server.stop();
            bench.agents.close();
        }
    }

    @Test
    void agentsThatFlapAnswerGarbageOrRunAnHourAheadLoseNoAnswerAndDecideNothing() throws Exception {
        for (String name : MISBEHAVING) {
            bench.register(name, 40);
        }
        FaultBench.await("a first sample of every agent", Duration.ofSeconds(4L * FaultBench.INTERVAL_SECONDS),
                () -> MISBEHAVING.stream().allMatch(name -> !bench.latest(name).isNull("snapshot")));
        bench.agents.misbehave("flapping", new FakeAgents.Flapping());
        bench.agents.misbehave("garbage", new FakeAgents.Garbage(10 * 1024 * 1024));
        bench.agents.misbehave("clock", new FakeAgents.ClockOff(Duration.ofHours(1)));
        Thread.sleep(FAULT);

        JsonObject garbage = bench.latest("garbage");
        assertEquals("oversized", garbage.getJsonObject("last_poll").getString("outcome"), garbage.toString());
        System.out.println("FaultsIT: the garbage agent's last poll: " + garbage.getJsonObject("last_poll"));
        assertEquals("up", bench.latest("flapping").getString("status"), "one failure at a time is not down");

        Instant healed = Instant.now();
        MISBEHAVING.forEach(bench.agents::heal);
        for (String name : MISBEHAVING) {
            Duration recovered = bench.freshAgain(name, healed);
            bench.everyAnswerStored(List.of(name), Duration.ofSeconds(15));
            if (name.equals("garbage")) {
                FaultBench.await("the garbage agent's host-down incident resolved",
                        Duration.ofSeconds(4L * FaultBench.INTERVAL_SECONDS), () -> bench.single("SELECT COUNT(*)"
                                + " FROM incidents WHERE host_id = ? AND state = 'resolved'", bench.id(name)) == 1);
            }
            assertEquals(name.equals("garbage") ? 1 : 0, bench.incidents(name), name + "'s incidents");
            FaultReport.record(switch (name) {
                case "flapping" -> "agent flapping every other poll";
                case "garbage" -> "agent answering 10 MB of garbage";
                default -> "agent clock an hour ahead";
            }, FAULT, recovered, bench.agents.snapshotsAnswered(name) + " answers, all stored; " + (name.equals(
                    "garbage") ? "polls refused as oversized, one host-down incident, resolved on the first good"
                    + " answer" : "no incident"));
        }
        assertEquals(0, bench.single("SELECT COUNT(*) FROM actions"), "no action from any of it");
    }

    @Test
    void aRulesFolderFilledWithGarbageKeepsTheRunningRulesAndRecoversWhenCleaned() throws Exception {
        Random random = new Random(42);
        Instant filled = Instant.now();
        List<Path> garbage = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[1 + random.nextInt(i == 0 ? 5 * 1024 * 1024 : 64 * 1024)];
            random.nextBytes(bytes);
            garbage.add(Files.write(rules.resolve("garbage-" + i + ".drl"), bytes));
        }
        garbage.add(Files.writeString(rules.resolve("half.drl"), "package x;\nrule \"half\" when then",
                StandardCharsets.UTF_8));
        garbage.add(Files.writeString(rules.resolve("controls.drl"), "rule \"\u0000\u0007\u001b[2J\" when\n",
                StandardCharsets.UTF_8));
        FaultBench.await("the rules status saying the folder does not compile", Duration.ofSeconds(20),
                () -> bench.get("/api/v1/rules").getString("status").equals("error"));
        bench.register("full-disk", 95);
        FaultBench.await("the running rules still opening an incident for a full disk",
                Duration.ofSeconds(6L * FaultBench.INTERVAL_SECONDS), () -> bench.incidents("full-disk") == 1);

        for (Path file : garbage) {
            Files.delete(file);
        }
        Instant cleaned = Instant.now();
        FaultBench.await("the rules loaded again", Duration.ofSeconds(20),
                () -> bench.get("/api/v1/rules").getString("status").equals("loaded"));
        FaultReport.record("rules folder filled with garbage (22 files, up to 5 MB)",
                Duration.between(filled, cleaned), Duration.between(cleaned, Instant.now()),
                "the running rules kept deciding (a full disk's incident opened); loaded again once cleaned");
        assertEquals(1, bench.incidents("full-disk"), "the incident opened once");
    }
}
