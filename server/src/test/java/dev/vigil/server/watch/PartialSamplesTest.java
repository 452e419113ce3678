package dev.vigil.server.watch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.vigil.server.AgentJson;
import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.poll.SampleSink;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartialSamplesTest {
    private static final long HOST = 7;

    private static AgentSnapshot.Parsed poll(Instant collectedAt, String nginx) throws AgentSnapshot.BadPayload {
        return AgentSnapshot.read(AgentJson.snapshot(collectedAt, 1, 10, 10, nginx).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private static AgentEvent.Change nginx(String state, Instant at) {
        return new AgentEvent.Change("services", "unit", Json.createObjectBuilder().add("unit", "nginx.service")
                .add("active_state", state).add("sub_state", "start").add("load_state", "loaded").build(), at);
    }

    private static String nginxState(AgentSnapshot.Parsed sample) {
        return ((JsonArray) sample.members().get("services")).getJsonObject(0).getString("active_state");
    }

    @Test
    void aPollMadeBeforeAnEventReachesTheRulesBeforeItThoughTheEventsThreadIsFaster() throws Exception {
        Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch pollInRules = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SampleSink rules = (hostId, sample, at) -> {
            if (sample.snapshot().collectedAt().equals(start.plusSeconds(10)) && heard.size() == 1) {
                pollInRules.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // the poller's thread, slow to hand its sample over
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            heard.add(nginxState(sample));
        };
        PartialSamples partials = new PartialSamples(rules);
        partials.accept(HOST, poll(start, "failed"), start);

        Thread poller = Thread.ofPlatform().start(() -> {
            try {
                partials.accept(HOST, poll(start.plusSeconds(10), "failed"), start.plusSeconds(10));
            } catch (AgentSnapshot.BadPayload e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(pollInRules.await(10, TimeUnit.SECONDS));
        Thread stream = Thread.ofPlatform().start(() -> partials.apply(HOST, nginx("activating", start.plusSeconds(11))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stream.getState() != Thread.State.BLOCKED && stream.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown();
        poller.join(10_000);
        stream.join(10_000);

        assertEquals(List.of("failed", "failed", "activating"), heard,
                "the rules hear the restart after the poll taken before it, not a failed unit after it");
    }

    @Test
    void aPollKeepsTheEventsTheAgentSawAfterItsSnapshot() throws Exception {
        Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
        List<String> heard = new ArrayList<>();
        PartialSamples partials = new PartialSamples((hostId, sample, at) -> heard.add(nginxState(sample)));
        partials.accept(HOST, poll(start, "failed"), start);

        partials.apply(HOST, nginx("activating", start.plusSeconds(5)));
        partials.accept(HOST, poll(start.plusSeconds(4), "failed"), start.plusSeconds(6));
        partials.accept(HOST, poll(start.plusSeconds(8), "active"), start.plusSeconds(8));

        assertEquals(List.of("failed", "activating", "activating", "active"), heard);
    }
}
