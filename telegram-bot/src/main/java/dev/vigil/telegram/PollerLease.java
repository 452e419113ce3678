package dev.vigil.telegram;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * The cluster's one Telegram poller lease as this bot process sees it: claimed and renewed through the server's
 * {@code POST /api/v1/telegram/lease} every 10 s (every third of the lease's life, when that is shorter), and given
 * up on close. The server keeps the lease in its database, so every replica agrees on the holder; the bot never
 * reads the database. {@code leading} hears each change: true once this process holds the lease, false once it no
 * longer does — another holds it, or the server could not be asked and the last grant's life ran out. Then this
 * process cannot know whether another took over, so it stops rather than risk two pollers.
 */
final class PollerLease implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PollerLease.class.getName());
    private static final Duration PERIOD = Duration.ofSeconds(10);
    private static final String PATH = "/api/v1/telegram/lease";

    private final ServerApi api;
    private final String holder;
    private final Consumer<Boolean> leading;
    /** Two threads: a grant runs out on time even while a renewal hangs on a server that does not answer. */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().daemon().name("telegram-lease-", 0).factory());
    /** Guarded by this. */
    private boolean held;
    private boolean closed;
    private ScheduledFuture<?> runsOut;
    private Optional<String> lastHolder = Optional.empty();
    private String lastProblem = "";
    /** How often the lease is claimed: {@link #PERIOD}, or a third of the server's shorter TTL. */
    private volatile Duration every = PERIOD;

    /** The lease for {@code holder} (this process's instance id); claimed from {@link #start()} on. */
    PollerLease(ServerApi api, String holder, Consumer<Boolean> leading) {
        this.api = api;
        this.holder = holder;
        this.leading = leading;
    }

    /** Claims the lease now (so a bot alone starts polling at once), then keeps claiming it until closed. */
    void start() {
        renew();
    }

    private void renew() {
        long asked = System.nanoTime();
        try {
            JsonObject answer = api.post(PATH, body(false)).asJsonObject();
            Duration ttl = Duration.ofSeconds(answer.getJsonNumber("ttl_seconds").longValueExact());
            Optional<String> by = answer.get("holder") instanceof JsonString name ? Optional.of(name.getString())
                    : Optional.empty();
            every = ttl.dividedBy(3).compareTo(PERIOD) < 0 ? ttl.dividedBy(3) : PERIOD;
            answered(answer.getBoolean("held"), by, ttl.minusNanos(System.nanoTime() - asked));
        } catch (ServerApi.Failure e) {
            problem("Cannot claim the Telegram poller lease from the server (" + e.getMessage() + ")");
        } catch (ClassCastException | NullPointerException | ArithmeticException e) {
            problem("The server's answer about the Telegram poller lease cannot be read (" + e + ")");
        }
        synchronized (this) {
            if (!closed) {
                timer.schedule(this::renew, every.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void answered(boolean ours, Optional<String> by, Duration left) {
        if (!lastProblem.isEmpty()) {
            LOG.info("The server answers about the Telegram poller lease again");
            lastProblem = "";
        }
        if (!by.equals(lastHolder)) {
            LOG.info(ours ? "This bot instance (" + holder + ") holds the Telegram poller lease"
                    : by.map(h -> "Bot instance " + h + " holds the Telegram poller lease; this one (" + holder
                    + ") stands by").orElse("Nobody holds the Telegram poller lease"));
            lastHolder = by;
        }
        if (runsOut != null) {
            runsOut.cancel(false);
            runsOut = null;
        }
        if (ours && !closed) {
            runsOut = timer.schedule(this::ranOut, left.toNanos(), TimeUnit.NANOSECONDS);
        }
        change(ours);
    }

    /** The last grant's life ran out without a renewal: the server could not be asked in time. */
    private synchronized void ranOut() {
        if (held) {
            LOG.warning("The Telegram poller lease ran out without a renewal: this instance stops polling and sending,"
                    + " since another may have taken over");
            lastHolder = Optional.empty();
            change(false);
        }
    }

    private synchronized void problem(String problem) {
        if (!problem.equals(lastProblem)) {
            LOG.warning(problem + (held ? "; polling on until the last grant runs out" : "; trying again"));
            lastProblem = problem;
        }
    }

    /** Called with this held. */
    private void change(boolean ours) {
        if (ours == held || closed) {
            return;
        }
        held = ours;
        try {
            leading.accept(ours);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Switching the bot to " + (ours ? "polling" : "standing by") + " failed", e);
        }
    }

    private JsonObject body(boolean release) {
        return ServerApi.JSON.createObjectBuilder().add("holder", holder).add("release", release).build();
    }

    /** Stops claiming and, if this process holds the lease, gives it up, so another takes over at once. */
    @Override
    public void close() {
        boolean release;
        synchronized (this) {
            closed = true;
            release = held;
            held = false;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("The Telegram poller lease's renewal did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (release) {
            try {
                api.post(PATH, body(true));
                LOG.info("Gave the Telegram poller lease up");
            } catch (ServerApi.Failure e) {
                LOG.warning("Could not give the Telegram poller lease up (" + e.getMessage() + "); another bot"
                        + " instance takes it over once it runs out");
            }
        }
    }
}
