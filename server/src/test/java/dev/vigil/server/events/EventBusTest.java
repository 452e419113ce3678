package dev.vigil.server.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventBusTest {
    private static final Clock FROZEN = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    private static List<Event> resumeAfter(EventBus bus, long lastSeen) throws Exception {
        List<Event> got = new ArrayList<>();
        bus.subscribeAfter(lastSeen, got::add).close();
        return got;
    }

    @Test
    void idsOfTheNextRunStartAboveTheLastOneEvenWhenTheyRanAheadOfTheClock() {
        EventBus first = new EventBus(FROZEN);
        long last = 0;
        for (int i = 0; i < 5_000; i++) { // 5,000 events in one millisecond: the ids run ahead of the clock
            long id = first.publish("x", i).id();
            assertTrue(id > last);
            last = id;
        }
        assertEquals(last, first.lastId());
        EventBus second = new EventBus(FROZEN, OptionalLong.of(first.lastId()));
        assertTrue(second.publish("x", "").id() > last);
    }

    @Test
    void withoutWordFromThePreviousRunTheClockKeepsIdsIncreasing() {
        EventBus first = new EventBus(FROZEN);
        long last = first.publish("x", "").id();
        EventBus second = new EventBus(Clock.offset(FROZEN, java.time.Duration.ofMillis(1)));
        assertTrue(second.publish("x", "").id() > last);
    }

    @Test
    void aResumeWithinWhatIsKeptReplaysTheRestAndAnythingElseIsAReset() throws Exception {
        EventBus bus = new EventBus(FROZEN);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            ids.add(bus.publish("x", i).id());
        }
        List<Event> replay = resumeAfter(bus, ids.get(1_400));
        assertEquals(ids.subList(1_401, 1_500), replay.stream().map(Event::id).toList());
        assertEquals(List.of(), resumeAfter(bus, ids.getLast()), "up to date: nothing to replay");

        for (long lastSeen : List.of(ids.get(100), ids.getFirst() - 1, ids.getLast() + 1, -1L)) {
            List<Event> reset = resumeAfter(bus, lastSeen);
            assertEquals(1, reset.size(), "after " + lastSeen);
            assertEquals(EventBus.RESET, reset.getFirst().type());
            assertEquals(ids.getLast(), reset.getFirst().id(), "it carries the newest id to resume from");
        }
    }

    @Test
    void aClientOfACleanlyStoppedRunThatSawItsLastEventMissedNothing() throws Exception {
        EventBus first = new EventBus(FROZEN);
        long sawLast = first.publish("x", "").id();
        EventBus second = new EventBus(FROZEN, OptionalLong.of(sawLast));
        long next = second.publish("y", "").id();
        assertEquals(List.of(next), resumeAfter(second, sawLast).stream().map(Event::id).toList());
        assertEquals(EventBus.RESET, resumeAfter(second, sawLast - 1).getFirst().type(), "one it did not see");
    }
}
