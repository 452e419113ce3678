package dev.vigil.agent.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring, the ids, resuming, and the cut of a stalled stream, without HTTP. */
class EventLogTest {
    private final Instant now = Instant.now();
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final String instance = Long.toString(now.toEpochMilli());
    private final EventLog log = new EventLog(clock, Duration.ofMinutes(10));

    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            log.publish("unit", (id, at) -> ("{\"id\":\"" + id + "\",\"at\":\"" + at + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Everything a stream writes until it has written at least {@code atLeast} bytes, then ends it. */
    private static String written(EventStream stream, int atLeast) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch enough = new CountDownLatch(1);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                stream.writeTo(new OutputStream() {
                    @Override
                    public void write(int b) {
                        out.write(b);
                    }

                    @Override
                    public void flush() {
                        if (out.size() >= atLeast) {
                            enough.countDown();
                        }
                    }
                });
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(enough.await(10, TimeUnit.SECONDS), "written: " + out);
        stream.close();
        writer.join(5_000);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eventsAreNumberedFromOneAndFramedWithTheirTime() throws Exception {
        publish(2);
        EventStream stream = log.open(Optional.of(instance + "-0"));
        String frames = written(stream, 1);
        assertEquals("id: " + instance + "-1\nevent: unit\ndata: {\"id\":\"" + instance + "-1\",\"at\":\"" + now
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + "\"}\n\n"
                + "id: " + instance + "-2\nevent: unit\ndata: {\"id\":\"" + instance + "-2\",\"at\":\"" + now
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + "\"}\n\n", frames);
    }

    @Test
    void theRingKeeps1024AndAnOlderIdGetsAReset() throws Exception {
        publish(EventLog.CAPACITY + 10);
        String replay = written(log.open(Optional.of(instance + "-10")), 1);
        assertEquals(EventLog.CAPACITY, replay.split("\n\n").length);
        assertTrue(replay.startsWith("id: " + instance + "-11\n"), replay.substring(0, 40));

        String reset = written(log.open(Optional.of(instance + "-9")), 1);
        assertTrue(reset.startsWith("event: reset\ndata: {\"reason\":\"the events after the id are no longer kept"),
                reset);
        assertEquals(1, reset.split("\n\n").length, "nothing is replayed after a reset");
    }

    @Test
    void withoutALastEventIdOnlyLiveEventsCome() throws Exception {
        publish(3);
        EventStream stream = log.open(Optional.empty());
        publish(1);
        assertTrue(written(stream, 40).startsWith(": heartbeat\n\nid: " + instance + "-4\n"));
    }

    @Test
    void atMost32StreamsAndAClosedOneGivesItsPlaceBack() throws Exception {
        List<EventStream> streams = new ArrayList<>();
        for (int i = 0; i < EventLog.MAX_STREAMS; i++) {
            streams.add(log.open(Optional.empty()));
        }
        assertThrows(EventLog.TooManyStreams.class, () -> log.open(Optional.empty()));
        streams.getFirst().close();
        assertEquals(EventLog.MAX_STREAMS - 1, log.streams());
        log.open(Optional.empty());
    }

    @Test
    void aStreamWhoseWriterIsStuckIsCutWhenItsQueueOverflows() throws Exception {
        EventStream stuck = log.open(Optional.empty());
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch writing = new CountDownLatch(1);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                stuck.writeTo(new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        writing.countDown();
                        try {
                            new CountDownLatch(1).await(); // a client that never reads again
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException("interrupted");
                        }
                    }
                });
            } catch (IOException e) {
                ended.set(e);
            }
        });
        assertTrue(writing.await(10, TimeUnit.SECONDS), "the first heartbeat is being written");
        publish(EventLog.QUEUE);
        assertEquals(1, log.streams(), EventLog.QUEUE + " events wait");
        publish(1);
        writer.join(10_000);
        assertTrue(ended.get() instanceof InterruptedIOException, String.valueOf(ended.get()));
        assertEquals(0, log.streams(), "the stuck stream is gone");
    }

    @Test
    void aQuietStreamWritesHeartbeats() throws Exception {
        EventLog quick = new EventLog(clock, Duration.ofMillis(50));
        assertTrue(written(quick.open(Optional.empty()), 26).startsWith(": heartbeat\n\n: heartbeat\n\n"));
    }
}
