package dev.vigil.agent.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's events as Server-Sent Events: every event gets the id {@code <instance>-<seq>} (instance: the time
 * this log was made, in epoch ms), is rendered once into its frame, kept in a ring of the latest
 * {@value #CAPACITY} and handed to every open {@link EventStream}. Publishing never waits for a reader: a stream
 * whose queue is full is cut, and its client resumes with {@code Last-Event-ID}. Nothing here knows HTTP.
 */
public final class EventLog implements AutoCloseable {
    public static final int CAPACITY = 1024;
    public static final int MAX_STREAMS = 32;
    /** Events queued for one stream before it counts as a slow reader and is cut. */
    public static final int QUEUE = 256;
    private static final Pattern ID = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    /** The JSON object of an event's {@code data} line, given the event's id and time; one line. */
    @FunctionalInterface
    public interface Data {
        byte[] render(String id, Instant at);
    }

    /** {@value #MAX_STREAMS} streams are open already. */
    public static final class TooManyStreams extends Exception {
        TooManyStreams() {
            super("at most " + MAX_STREAMS + " event streams may be open at once; try again later");
        }
    }

    private record Event(long seq, byte[] frame) {
    }

    private final Clock clock;
    private final Duration heartbeat;
    private final String instance;
    private final ArrayDeque<Event> ring = new ArrayDeque<>(CAPACITY);
    private final Set<EventStream> streams = new HashSet<>();
    private long seq;
    private boolean closed;

    /** @param heartbeat how long a stream may be silent before it writes a heartbeat comment */
    public EventLog(Clock clock, Duration heartbeat) {
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.instance = Long.toString(clock.millis());
    }

    /** Numbers, renders, keeps and hands out one event; never blocks on a reader. */
    public synchronized void publish(String type, Data data) {
        String id = instance + "-" + ++seq;
        byte[] json = data.render(id, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Event event = new Event(seq, concat(("id: " + id + "\nevent: " + type + "\ndata: ").getBytes(
                StandardCharsets.UTF_8), json, new byte[] {'\n', '\n'}));
        if (ring.size() == CAPACITY) {
            ring.removeFirst();
        }
        ring.addLast(event);
        streams.removeIf(stream -> !stream.offer(event.frame()));
    }

    /**
     * Opens a stream: with a {@code Last-Event-ID} it starts with the kept events after that id, or with a
     * {@code reset} when that id cannot be honoured; without one it has live events only.
     */
    public synchronized EventStream open(Optional<String> lastEventId) throws TooManyStreams {
        if (streams.size() >= MAX_STREAMS) {
            throw new TooManyStreams();
        }
        List<byte[]> start = lastEventId.map(String::strip).filter(id -> !id.isEmpty())
                .map(this::resume).orElse(List.of());
        EventStream stream = new EventStream(this, start, heartbeat);
        if (closed) {
            stream.end();
        } else {
            streams.add(stream);
        }
        return stream;
    }

    /** The frames a stream resuming after {@code lastEventId} starts with. */
    private List<byte[]> resume(String lastEventId) {
        Matcher id = ID.matcher(lastEventId);
        if (!id.matches() || !id.group(1).equals(instance)) {
            return List.of(reset("the id is not one of this agent's events since it started"));
        }
        long after;
        try {
            after = Long.parseLong(id.group(2));
        } catch (NumberFormatException e) {
            return List.of(reset("the id is not one of this agent's events since it started"));
        }
        if (after > seq) {
            return List.of(reset("the id is not one of this agent's events since it started"));
        }
        long oldestKept = ring.isEmpty() ? seq + 1 : ring.getFirst().seq();
        if (after < oldestKept - 1) {
            return List.of(reset("the events after the id are no longer kept"));
        }
        List<byte[]> replay = new ArrayList<>();
        for (Event event : ring) {
            if (event.seq() > after) {
                replay.add(event.frame());
            }
        }
        return replay;
    }

    /** A reason is one of the fixed texts above: nothing to escape. */
    private static byte[] reset(String reason) {
        return ("event: reset\ndata: {\"reason\":\"" + reason + ": read the full snapshot\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    synchronized void remove(EventStream stream) {
        streams.remove(stream);
    }

    /** How many streams are open. */
    public synchronized int streams() {
        return streams.size();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** Ends every stream (their writers return) and opens no more: the agent is stopping. */
    @Override
    public synchronized void close() {
        closed = true;
        streams.forEach(EventStream::end);
        streams.clear();
    }
}
