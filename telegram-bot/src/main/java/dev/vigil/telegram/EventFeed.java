package dev.vigil.telegram;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the server's event stream on a virtual thread and feeds {@link Notifications}; after any break it
 * reconnects (backoff 1 s doubling to 60 s, with jitter) from the last event the outbox recorded
 * ({@code Last-Event-ID}), so nothing is missed or handled twice. When the server cannot replay the gap
 * ({@code reset}), and on the very first start, the {@link Reconciler} catches up through REST. The panel's
 * events ({@code telegram_changed}, {@code telegram_request}) go to {@code panelEvents}, and so does a {@code reset},
 * after which the panel's settings are read again.
 *
 * <p>The cursor is recorded after every event it acted on, and for the others (metrics, …) at most every
 * {@link #CURSOR_EVERY}: replaying those after a crash changes nothing.
 *
 * <p>A bot that stands by (another holds the poller lease, {@link Bot}) runs a {@link #standby} feed, which acts on
 * nothing and only keeps the cursor current. When it takes over, its feed first catches up through the API with what
 * changed since that cursor (the {@link Reconciler} reads a few minutes further back), since the previous holder may
 * have stopped handling events a while before its lease ran out.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventFeed.class.getName());
    private static final Set<String> PANEL_EVENTS = Set.of("telegram_changed", "telegram_request");
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration CURSOR_EVERY = Duration.ofSeconds(10);

    private final ServerApi api;
    private final Outbox outbox;
    /** Empty for a standby's feed. */
    private final Optional<Notifications> notifications;
    private final Optional<Reconciler> reconciler;
    private final Consumer<ServerApi.Event> panelEvents;
    private final boolean takingOver;
    private final InstantSource clock = InstantSource.system();
    private volatile boolean closed;
    private Thread thread;
    private Instant cursorWritten = Instant.MIN;

    /**
     * A feed of {@code api}'s events into {@code notifications} (whose outbox keeps the cursor); the panel's events
     * go to {@code panelEvents}. {@code takingOver}: this process stood by, its cursor kept by a {@link #standby}
     * feed, and first catches up with what changed since. Starts with {@link #start()}.
     */
    public EventFeed(ServerApi api, Notifications notifications, Consumer<ServerApi.Event> panelEvents,
                     boolean takingOver) {
        this(api, notifications.outbox(), Optional.of(notifications), panelEvents, takingOver);
    }

    private EventFeed(ServerApi api, Outbox outbox, Optional<Notifications> notifications,
                      Consumer<ServerApi.Event> panelEvents, boolean takingOver) {
        this.api = api;
        this.outbox = outbox;
        this.notifications = notifications;
        this.reconciler = notifications.map(n -> new Reconciler(api::get, n, outbox));
        this.panelEvents = panelEvents;
        this.takingOver = takingOver;
    }

    /** A feed that only keeps {@code outbox}'s cursor current: a standby's. Starts with {@link #start()}. */
    public static EventFeed standby(ServerApi api, Outbox outbox) {
        return new EventFeed(api, outbox, Optional.empty(), event -> { }, false);
    }

    public synchronized void start() {
        thread = Thread.ofVirtual().name("vigil-event-feed").start(this::run);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        // with no cursor (the first start) only the approvals waiting; taking over, what changed since the cursor
        boolean catchUp = takingOver || outbox.cursor().isEmpty();
        while (!closed) {
            try {
                if (catchUp) {
                    reconciler.ifPresent(r -> r.catchUp(outbox.cursorAt()));
                    catchUp = false;
                }
                long before = outbox.cursor().orElse(Long.MIN_VALUE);
                api.events(outbox.cursor(), this::handle);
                if (outbox.cursor().orElse(Long.MIN_VALUE) > before) {
                    backoff = FIRST_BACKOFF;
                }
                LOG.info("The server's event stream ended; reconnecting");
            } catch (ServerApi.Failure e) {
                if (closed) {
                    return;
                }
                LOG.warning("The server's event stream: " + e.getMessage());
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.SEVERE, "Handling the server's events failed; resuming from the last one recorded", e);
            }
            try {
                long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
                Thread.sleep(backoff.plusMillis(jitter));
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void forward(ServerApi.Event event) {
        try {
            panelEvents.accept(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Handling the panel's " + event.type() + " failed", e);
        }
    }

    private void handle(ServerApi.Event event) {
        if (closed) {
            throw new ServerApi.Failure(0, "the event feed is closed");
        }
        boolean acted = notifications.isPresent() && act(event, notifications.get(), reconciler.orElseThrow());
        Instant now = clock.instant();
        if (event.id().isPresent() && (acted || !now.isBefore(cursorWritten.plus(CURSOR_EVERY)))) {
            outbox.cursor(event.id().get());
            cursorWritten = now;
        }
    }

    /** Hands the event on; true when it was one to act on. */
    private boolean act(ServerApi.Event event, Notifications notifications, Reconciler reconciler) {
        if (event.type().equals("reset")) {
            LOG.warning(() -> "The server cannot replay the events missed (" + event.data().getString("reason", "")
                    + "); catching up through its API");
            reconciler.catchUp(outbox.cursorAt());
            forward(event); // a telegram_changed may be among the events missed
            return true;
        }
        if (event.type().startsWith("incident_") || event.type().startsWith("action_")) {
            notifications.handle(event);
            return true;
        }
        if (PANEL_EVENTS.contains(event.type())) {
            forward(event);
            return true;
        }
        return false;
    }
}
