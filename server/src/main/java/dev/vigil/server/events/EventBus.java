package dev.vigil.server.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.server.store.EventStore;

/**
 * The one bus every stage publishes to and every client stream reads from, shared by every instance on the
 * database (docs/scaling.md). A published event is rendered to its JSON at once and appended to the database by
 * this instance's writer; this instance's reader delivers the events every instance appended, in id order, to its
 * subscribers — its own within milliseconds, the others' within {@code readEvery}. Ids come from the database:
 * they increase across restarts and instances, so a client resumes from its {@code Last-Event-ID} on any instance.
 * Delivery must be quick: a subscriber that does slow work (a network stream) queues the event and returns.
 *
 * <p>A client that resumes from an id whose successors are no longer kept (the last {@link #KEPT} in memory, an
 * hour in the database) gets a {@link #RESET} event instead of a replay with a hole in it. While the database
 * cannot be reached, published events wait in memory (up to {@link #WAITING}) and are appended when it answers.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    /** Events kept in memory for a client that reconnects with the id of the last one it saw. */
    private static final int KEPT = 1000;
    /** Events published while the database cannot be reached, kept until it answers. */
    static final int WAITING = 10_000;
    private static final int BATCH = 500;
    /** How long the database keeps events for a resuming client. */
    private static final Duration STORED = Duration.ofHours(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    /** The last event of a run: streams end after it. It is this instance's own, never stored. */
    public static final String STOPPING = "server_stopping";
    /** Tells a resuming client that events after its id are lost to it: reload the state, go on from here. */
    public static final String RESET = "reset";

    /** The subject of a {@link #RESET}. */
    public record Reset(String reason) {
    }

    /** Renders a subject as clients get it (the API's JSON). */
    @FunctionalInterface
    public interface Renderer {
        String json(String type, Instant at, Object subject);
    }

    private record Subscriber(Consumer<Event> consumer, long after) {
    }

    private final Clock clock;
    private final EventStore store;
    private final String origin;
    private final Renderer renderer;
    private final Duration readEvery;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<EventStore.Pending> outbox = new ArrayBlockingQueue<>(WAITING);
    private final Semaphore appended = new Semaphore(0);
    private final ArrayDeque<Event> recent = new ArrayDeque<>(KEPT);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private final Thread reader;
    private volatile boolean running = true;
    /** The newest id delivered here (guarded by {@link #recent}). */
    private long delivered;

    /**
     * @param origin    this instance's name, stored with its events
     * @param readEvery how often the other instances' events are looked for
     */
    public EventBus(Clock clock, EventStore store, String origin, Renderer renderer, Duration readEvery) {
        this.clock = clock;
        this.store = store;
        this.origin = origin;
        this.renderer = renderer;
        this.readEvery = readEvery;
        this.delivered = store.lastId();
        this.writer = Thread.ofPlatform().name("vigil-events-out").daemon().start(this::write);
        this.reader = Thread.ofPlatform().name("vigil-events-in").daemon().start(this::read);
    }

    /** Renders the event and queues it for the database; every subscriber of every instance gets it from there. */
    public void publish(String type, Object subject) {
        Instant at = clock.instant();
        String data;
        try {
            data = renderer.json(type, at, subject);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "An event " + type + " cannot be rendered; it is not sent", e);
            return;
        }
        if (!outbox.offer(new EventStore.Pending(type, at, data))) {
            dropped.increment();
            if (dropped.sum() % 1000 == 1) {
                LOG.warning(WAITING + " events wait for the database; " + dropped.sum() + " newer ones dropped so far"
                        + " (their incidents and actions are stored all the same; clients reload on a reset)");
            }
        }
    }

    /** Events that could not wait for the database (more than {@link #WAITING} at once). */
    public long dropped() {
        return dropped.sum();
    }

    /** Subscribes to the events from now on, until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<Event> consumer) {
        synchronized (recent) {
            return add(new Subscriber(consumer, delivered));
        }
    }

    private AutoCloseable add(Subscriber subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Subscribes a client that resumes after {@code lastSeen} (its {@code Last-Event-ID}, from this instance or
     * another): it first gets the events after that id — from memory or from the database, nothing lost or repeated
     * between them and the live ones — or, when some event after that id is no longer kept (or the id was never
     * given out), one {@link #RESET} event carrying the newest id delivered here.
     */
    public AutoCloseable subscribeAfter(long lastSeen, Consumer<Event> consumer) {
        synchronized (recent) {
            if (lastSeen >= delivered) {
                long given = lastSeen == delivered ? delivered : lastIdOr(-1);
                if (lastSeen > given) {
                    consumer.accept(reset("event " + lastSeen + " was never sent by this server"));
                    return add(new Subscriber(consumer, delivered));
                }
                return add(new Subscriber(consumer, lastSeen)); // given out, not yet read here: it comes live
            }
            long firstKept = recent.isEmpty() ? delivered + 1 : recent.getFirst().id();
            if (lastSeen >= firstKept - 1) {
                recent.stream().filter(event -> event.id() > lastSeen).forEach(consumer);
                return add(new Subscriber(consumer, delivered));
            }
            List<Event> missed = storedBetween(lastSeen, firstKept);
            if (missed.isEmpty()) {
                consumer.accept(reset("events after " + lastSeen + " are no longer kept (the last " + KEPT
                        + " in memory and an hour in the database)"));
            } else {
                missed.forEach(consumer);
                recent.forEach(consumer);
            }
            return add(new Subscriber(consumer, delivered));
        }
    }

    /** The stored events after {@code lastSeen} and before {@code firstKept}, or none when some are missing. */
    private List<Event> storedBetween(long lastSeen, long firstKept) {
        long wanted = firstKept - 1 - lastSeen;
        if (wanted > 10 * KEPT) {
            return List.of();
        }
        try {
            List<Event> events = new ArrayList<>();
            for (EventStore.Stored stored : store.after(lastSeen, (int) wanted)) {
                events.add(event(stored));
            }
            boolean whole = events.size() == wanted && events.getFirst().id() == lastSeen + 1;
            return whole ? events : List.of();
        } catch (RuntimeException e) {
            LOG.warning("Cannot read the events a client missed (" + e.getMessage() + "); it gets a reset");
            return List.of();
        }
    }

    private long lastIdOr(long fallback) {
        try {
            return store.lastId();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private Event reset(String reason) {
        Instant at = clock.instant();
        return new Event(delivered, RESET, at, renderer.json(RESET, at, new Reset(reason)));
    }

    private static Event event(EventStore.Stored stored) {
        return new Event(stored.id(), stored.type(), stored.at(), stored.data());
    }

    /** Appends what is published, in order, in batches; what the database refuses waits and is tried again. */
    private void write() {
        List<EventStore.Pending> batch = new ArrayList<>(BATCH);
        boolean failing = false;
        Instant nextPrune = clock.instant();
        while (running || !outbox.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    EventStore.Pending first = outbox.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    outbox.drainTo(batch, BATCH - 1);
                }
                store.append(origin, batch);
                batch.clear();
                appended.release();
                if (failing) {
                    failing = false;
                    LOG.info("Events are appended to the database again");
                }
                if (clock.instant().isAfter(nextPrune)) {
                    store.prune(clock.instant().minus(STORED));
                    nextPrune = clock.instant().plus(PRUNE_EVERY);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.warning("Cannot append events to the database (" + e.getMessage() + "); " + batch.size()
                            + " and what follows wait, and are appended when it answers");
                }
                if (!pause(Duration.ofSeconds(1)) && !running) {
                    return;
                }
            }
        }
    }

    /** Delivers every instance's events in id order: at once after this instance appended, else every readEvery. */
    private void read() {
        boolean failing = false;
        while (running) {
            try {
                appended.tryAcquire(readEvery.toMillis(), TimeUnit.MILLISECONDS);
                appended.drainPermits();
                catchUp();
                if (failing) {
                    failing = false;
                    LOG.info("Events are read from the database again");
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.warning("Cannot read events from the database (" + e.getMessage() + "); event streams get"
                            + " them when it answers");
                }
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void catchUp() {
        List<EventStore.Stored> next;
        do {
            long after;
            synchronized (recent) {
                after = delivered;
            }
            next = store.after(after, BATCH);
            next.forEach(stored -> deliver(event(stored)));
        } while (next.size() == BATCH);
    }

    private void deliver(Event event) {
        synchronized (recent) {
            if (event.id() <= delivered) {
                return;
            }
            delivered = event.id();
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(event);
            for (Subscriber subscriber : subscribers) {
                if (event.id() > subscriber.after()) {
                    try {
                        subscriber.consumer().accept(event);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "An event subscriber failed on " + event.type()
                                + "; the others still get it", e);
                    }
                }
            }
        }
    }

    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Appends what is still waiting (for up to 5 s), delivers it, then tells this instance's subscribers that it is
     * stopping: its id is the last one delivered, so a client resumes from it on another instance without a gap.
     */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
            reader.interrupt();
            reader.join(5000);
            catchUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warning("Cannot read the last events before stopping (" + e.getMessage() + ")");
        }
        writer.interrupt();
        synchronized (recent) {
            Instant at = clock.instant();
            Event stopping = new Event(delivered, STOPPING, at, renderer.json(STOPPING, at, ""));
            subscribers.forEach(subscriber -> subscriber.consumer().accept(stopping));
        }
    }
}
