package dev.vigil.server.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one bus every stage publishes to and every client stream reads from. Delivery is synchronous and must be
 * quick: a subscriber that does slow work (a network stream) queues the event and returns.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    /** Events kept for a client that reconnects with the id of the last one it saw. */
    private static final int KEPT = 1000;
    /** The last event of a run: streams end after it. */
    public static final String STOPPING = "server_stopping";

    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Event> recent = new ArrayDeque<>(KEPT);
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    public EventBus(Clock clock) {
        this.clock = clock;
    }

    public Event publish(String type, Object subject) {
        Event event;
        synchronized (recent) {
            event = new Event(ids.incrementAndGet(), type, clock.instant(), subject);
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        for (Consumer<Event> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "An event subscriber failed on " + type + "; the others still get it", e);
            }
        }
        return event;
    }

    /** Subscribes until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Subscribes, first handing over the kept events after {@code lastSeenId} (a reconnecting client's
     * {@code Last-Event-ID}); nothing is lost or repeated between the two.
     */
    public AutoCloseable subscribeAfter(long lastSeenId, Consumer<Event> subscriber) {
        synchronized (recent) {
            recent.stream().filter(event -> event.id() > lastSeenId).forEach(subscriber);
            return subscribe(subscriber);
        }
    }

    /** Tells every subscriber the server is stopping. */
    @Override
    public void close() {
        publish(STOPPING, "");
    }
}
