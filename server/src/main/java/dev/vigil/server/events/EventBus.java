package dev.vigil.server.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one bus every stage publishes to and every client stream reads from. Delivery is synchronous and must be
 * quick: a subscriber that does slow work (a network stream) queues the event and returns.
 *
 * <p>Event ids increase across restarts: an id is never below the publishing time in epoch milliseconds × 1000
 * (so a later run starts above an earlier one while the clock goes forward, 1,000 ids a millisecond, and the ids
 * stay below 2^53 — exact in JavaScript — until the year 2255), nor below the last id of the previous run when
 * that run stopped cleanly. A client that resumes from an id whose successors are not all kept gets a
 * {@link #RESET} event instead of a replay with a hole in it.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    /** Events kept for a client that reconnects with the id of the last one it saw. */
    private static final int KEPT = 1000;
    private static final long IDS_PER_MILLISECOND = 1000;
    /** The last event of a run: streams end after it. */
    public static final String STOPPING = "server_stopping";
    /** Tells a resuming client that events after its id are lost to it: reload the state, go on from here. */
    public static final String RESET = "reset";

    /** The subject of a {@link #RESET}. */
    public record Reset(String reason) {
    }

    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Event> recent = new ArrayDeque<>(KEPT);
    private final Clock clock;
    /** The newest id given out (guarded by {@link #recent}). */
    private long last;
    /** Every event after this id is in {@link #recent} (guarded by it). */
    private long complete;

    /** A bus whose ids start above those of any earlier run as far as the clock tells. */
    public EventBus(Clock clock) {
        this(clock, OptionalLong.empty());
    }

    /**
     * @param lastOfPreviousRun the last id the previous run gave out, when it stopped cleanly and said so; a
     *                          client that saw it has missed nothing of that run
     */
    public EventBus(Clock clock, OptionalLong lastOfPreviousRun) {
        this.clock = clock;
        this.last = Math.max(lastOfPreviousRun.orElse(0), clock.millis() * IDS_PER_MILLISECOND - 1);
        this.complete = lastOfPreviousRun.orElse(last);
    }

    /** Numbers, keeps and delivers the event; delivery is under the lock, so every subscriber sees id order. */
    public Event publish(String type, Object subject) {
        synchronized (recent) {
            last = Math.max(last + 1, clock.millis() * IDS_PER_MILLISECOND);
            Event event = new Event(last, type, clock.instant(), subject);
            if (recent.size() == KEPT) {
                complete = recent.removeFirst().id();
            }
            recent.addLast(event);
            for (Consumer<Event> subscriber : subscribers) {
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "An event subscriber failed on " + type + "; the others still get it", e);
                }
            }
            return event;
        }
    }

    /** The newest id given out: what the next run needs to know, at a clean stop. */
    public long lastId() {
        synchronized (recent) {
            return last;
        }
    }

    /** Subscribes to the events from now on, until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Subscribes a client that resumes after {@code lastSeenId} (its {@code Last-Event-ID}): it first gets the
     * kept events after that id — nothing is lost or repeated between them and the live ones — or, when some
     * event after that id is no longer kept (or the id was never given out), one {@link #RESET} event carrying
     * the newest id.
     */
    public AutoCloseable subscribeAfter(long lastSeenId, Consumer<Event> subscriber) {
        synchronized (recent) {
            if (lastSeenId < complete || lastSeenId > last) {
                subscriber.accept(new Event(last, RESET, clock.instant(), new Reset(lastSeenId > last
                        ? "event " + lastSeenId + " was never sent by this server"
                        : "events after " + lastSeenId + " are no longer kept (the server keeps the last " + KEPT
                                + " of its current run)")));
            } else {
                recent.stream().filter(event -> event.id() > lastSeenId).forEach(subscriber);
            }
            return subscribe(subscriber);
        }
    }

    /** Tells every subscriber the server is stopping. */
    @Override
    public void close() {
        publish(STOPPING, "");
    }
}
