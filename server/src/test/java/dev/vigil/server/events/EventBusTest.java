package dev.vigil.server.events;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The bus on a real MariaDB: one instance, two instances on one database, and clients resuming on either. */
class EventBusTest {
    private static final EventBus.Renderer RENDER = (type, at, subject) -> "{\"value\":\"" + subject + "\"}";
    private ServerConfig config;
    private Database database;
    private final List<EventBus> buses = new ArrayList<>();

    @BeforeEach
    void open() {
        config = TestDatabase.serverConfig();
        database = Database.open(config);
    }

    @AfterEach
    void close() {
        buses.forEach(EventBus::close);
        database.close();
    }

    private EventBus bus(String instance) {
        EventBus bus = new EventBus(Clock.systemUTC(), new EventStore(database.client()), instance, RENDER,
                Duration.ofMillis(50));
        buses.add(bus);
        return bus;
    }

    private static List<Event> await(List<Event> got, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("expected " + count + " events, got " + got.size() + ": " + got);
            }
            Thread.sleep(10);
        }
        return List.copyOf(got);
    }

    private static List<Event> resumeAfter(EventBus bus, long lastSeen) throws Exception {
        List<Event> got = new ArrayList<>();
        bus.subscribeAfter(lastSeen, got::add).close();
        return got;
    }

    private static List<String> values(List<Event> events) {
        return events.stream().map(Event::data).toList();
    }

    @Test
    void eventsArriveInOrderWithContiguousIdsAboveTheClockAtTheMigration() throws Exception {
        EventBus bus = bus("a");
        List<Event> got = new CopyOnWriteArrayList<>();
        bus.subscribe(got::add);
        for (int i = 0; i < 1_200; i++) {
            bus.publish("x", i);
        }
        List<Event> events = await(got, 1_200);
        for (int i = 0; i < events.size(); i++) {
            assertEquals("{\"value\":\"" + i + "\"}", events.get(i).data());
            assertEquals(events.getFirst().id() + i, events.get(i).id(), "contiguous ids");
        }
        assertTrue(events.getFirst().id() > (Instant.now().toEpochMilli() - 3_600_000) * 1000,
                "ids continue above the earlier clock-based numbering: " + events.getFirst().id());
    }

    @Test
    void twoInstancesOnOneDatabaseDeliverTheSameEventsUnderTheSameIdsInTheSameOrder() throws Exception {
        EventBus a = bus("a");
        EventBus b = bus("b");
        List<Event> onA = new CopyOnWriteArrayList<>();
        List<Event> onB = new CopyOnWriteArrayList<>();
        a.subscribe(onA::add);
        b.subscribe(onB::add);
        for (int i = 0; i < 200; i++) {
            (i % 2 == 0 ? a : b).publish("x", (i % 2 == 0 ? "a" : "b") + i);
        }
        assertEquals(await(onA, 200), await(onB, 200));
        assertEquals(100, onA.stream().filter(e -> e.data().contains("\"a")).count());
        List<String> fromA = values(onB).stream().filter(v -> v.contains("\"a")).toList();
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 200; i += 2) {
            published.add("{\"value\":\"a" + i + "\"}");
        }
        assertEquals(published, fromA, "each instance's events keep their order");
    }

    @Test
    void aClientResumesOnAnotherInstanceOrAfterARestartFromMemoryOrTheDatabaseElseGetsAReset() throws Exception {
        EventBus a = bus("a");
        List<Event> onA = new CopyOnWriteArrayList<>();
        a.subscribe(onA::add);
        for (int i = 0; i < 1_500; i++) {
            a.publish("x", i);
        }
        List<Event> all = await(onA, 1_500);
        EventBus b = bus("b"); // started after them: nothing in its memory
        long lastSeen = all.get(100).id();
        assertEquals(all.subList(101, 1_500), resumeAfter(b, lastSeen), "from the database");
        assertEquals(all.subList(1_401, 1_500), resumeAfter(a, all.get(1_400).id()), "from memory");
        assertEquals(all.subList(101, 1_500), resumeAfter(a, lastSeen), "older than memory: from the database");
        assertEquals(List.of(), resumeAfter(a, all.getLast().id()), "up to date: nothing to replay");

        List<Event> live = new CopyOnWriteArrayList<>();
        b.subscribeAfter(all.get(1_498).id(), live::add);
        a.publish("x", "next");
        assertEquals(List.of("{\"value\":\"1499\"}", "{\"value\":\"next\"}"), values(await(live, 2)),
                "the replay then the live events, nothing lost or repeated between them");

        for (long unknown : List.of(all.getLast().id() + 10, -1L)) {
            List<Event> reset = resumeAfter(b, unknown);
            assertEquals(1, reset.size(), "after " + unknown);
            assertEquals(EventBus.RESET, reset.getFirst().type());
        }
        try (Connection connection = DriverManager.getConnection(config.database().orElseThrow().url(), "root", "")) {
            connection.createStatement().execute("DELETE FROM events WHERE id <= " + all.get(200).id());
        }
        List<Event> pruned = resumeAfter(b, lastSeen);
        assertEquals(List.of(EventBus.RESET), pruned.stream().map(Event::type).toList(),
                "events after it were pruned: a reset, not a replay with a hole");
    }

    @Test
    void aStoppingBusAppendsWhatWaitsThenEndsItsStreamsWithTheLastIdDelivered() throws Exception {
        EventBus a = bus("a");
        List<Event> got = new CopyOnWriteArrayList<>();
        a.subscribe(got::add);
        for (int i = 0; i < 300; i++) {
            a.publish("x", i);
        }
        buses.remove(a);
        a.close();
        assertEquals(301, got.size(), "every event published before the stop, then server_stopping");
        Event stopping = got.getLast();
        assertEquals(EventBus.STOPPING, stopping.type());
        assertEquals(got.get(299).id(), stopping.id());
        assertEquals(List.of(), resumeAfter(bus("b"), stopping.id()), "resumed elsewhere from it: nothing missed");
    }
}
