package dev.vigil.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The bot's state as the admin panel shows it: logged in one line when it changes, and reported to the server
 * ({@code PUT /api/v1/telegram/status}) at once on every change and every 30 s besides.
 */
final class StatusReporter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StatusReporter.class.getName());
    static final Duration PERIOD = Duration.ofSeconds(30);

    enum State {
        RUNNING, WAITING_FOR_TOKEN, CONFLICT, ERROR, STOPPED, STANDBY;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the panel shows; {@code lastError} stays until the next error, as a history of one. */
    record Snapshot(State state, Optional<String> botUsername, Optional<Instant> lastUpdateAt,
                    Optional<String> lastError, Optional<Instant> lastErrorAt, List<String> envOverrides) {
    }

    private final ServerApi api;
    private final Clock clock;
    private final LongSupplier outboxPending;
    private final LongSupplier sentTotal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("telegram-status").factory());
    /** Until the bot knows more; the first change is reported at once. */
    private Snapshot now = new Snapshot(State.STOPPED, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of());
    private volatile String lastReportFailure = "";

    /** Reports until closed; {@code outboxPending} and {@code sentTotal} are the delivery's counters. */
    StatusReporter(ServerApi api, Clock clock, LongSupplier outboxPending, LongSupplier sentTotal) {
        this.api = api;
        this.clock = clock;
        this.outboxPending = outboxPending;
        this.sentTotal = sentTotal;
        timer.scheduleWithFixedDelay(this::report, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized Snapshot snapshot() {
        return now;
    }

    void waitingForToken() {
        change(s -> new Snapshot(State.WAITING_FOR_TOKEN, Optional.empty(), s.lastUpdateAt(), s.lastError(),
                s.lastErrorAt(), s.envOverrides()), "No bot token (neither VIGIL_TELEGRAM_TOKEN nor the admin panel's):"
                + " waiting for one");
    }

    /** Another bot process holds the poller lease: this one neither polls nor sends. */
    void standby() {
        change(s -> new Snapshot(State.STANDBY, Optional.empty(), s.lastUpdateAt(), s.lastError(), s.lastErrorAt(),
                s.envOverrides()), "Standing by: this instance does not hold the Telegram poller lease (another does, or the server has not"
                + " granted it)");
    }

    /** Telegram knows the token as {@code @username}, and the long poll runs. */
    void running(String username) {
        change(s -> new Snapshot(State.RUNNING, Optional.of(username), s.lastUpdateAt(), s.lastError(),
                s.lastErrorAt(), s.envOverrides()), "Connected to Telegram as @" + username + ", polling for updates");
    }

    /** A long poll answered: the bot runs again after a conflict or an error. */
    void polled() {
        Snapshot s = snapshot();
        if (s.state() != State.RUNNING && s.botUsername().isPresent()) {
            running(s.botUsername().get());
        }
    }

    void updateReceived() {
        Instant at = clock.instant();
        synchronized (this) {
            now = new Snapshot(now.state(), now.botUsername(), Optional.of(at), now.lastError(), now.lastErrorAt(),
                    now.envOverrides());
        }
    }

    /** Telegram answered 409: another instance polls the same token. */
    void conflict(String reason) {
        failure(State.CONFLICT, "Another bot instance polls this bot token (Telegram: " + reason + "); this one does"
                + " not fight it and tries again every 30 to 60 s");
    }

    void error(String reason) {
        failure(State.ERROR, reason);
    }

    void envOverrides(List<String> fields) {
        synchronized (this) {
            if (now.envOverrides().equals(fields)) {
                return;
            }
            now = new Snapshot(now.state(), now.botUsername(), now.lastUpdateAt(), now.lastError(),
                    now.lastErrorAt(), List.copyOf(fields));
        }
        reportSoon();
    }

    private void failure(State state, String reason) {
        Instant at = clock.instant();
        change(s -> new Snapshot(state, s.botUsername(), s.lastUpdateAt(), Optional.of(reason), Optional.of(at),
                s.envOverrides()), reason);
    }

    /** Applies {@code next}; a new state or error is logged once and reported at once. */
    private void change(java.util.function.UnaryOperator<Snapshot> next, String said) {
        Snapshot before;
        Snapshot after;
        synchronized (this) {
            before = now;
            after = next.apply(now);
            if (before.state() == after.state() && Objects.equals(before.lastError(), after.lastError())
                    && before.botUsername().equals(after.botUsername())) {
                if (after.lastErrorAt().isPresent()) {
                    now = after; // the same error again: only its time moves
                }
                return;
            }
            now = after;
        }
        if (after.state() == State.RUNNING || after.state() == State.WAITING_FOR_TOKEN
                || after.state() == State.STANDBY) {
            LOG.info(said);
        } else {
            LOG.warning(said);
        }
        reportSoon();
    }

    private void reportSoon() {
        if (!timer.isShutdown()) {
            timer.execute(this::report);
        }
    }

    /** The body of {@code PUT /api/v1/telegram/status}. */
    JsonObject json() {
        Snapshot s = snapshot();
        JsonObjectBuilder body = ServerApi.JSON.createObjectBuilder().add("state", s.state().json());
        optional(body, "bot_username", s.botUsername().orElse(null));
        optional(body, "last_update_at", s.lastUpdateAt().map(Instant::toString).orElse(null));
        optional(body, "last_error", s.lastError().orElse(null));
        optional(body, "last_error_at", s.lastErrorAt().map(Instant::toString).orElse(null));
        return body.add("outbox_pending", outboxPending.getAsLong()).add("sent_total", sentTotal.getAsLong())
                .add("env_overrides", ServerApi.JSON.createArrayBuilder(s.envOverrides())).build();
    }

    private static void optional(JsonObjectBuilder body, String key, String value) {
        if (value == null) {
            body.addNull(key);
        } else {
            body.add(key, value);
        }
    }

    private void report() {
        try {
            api.put("/api/v1/telegram/status", json());
            lastReportFailure = "";
        } catch (ServerApi.Failure e) {
            if (!e.getMessage().equals(lastReportFailure)) {
                LOG.warning("Could not report the bot's status to the server: " + e.getMessage());
                lastReportFailure = e.getMessage();
            }
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "Could not report the bot's status", e);
        }
    }

    /** Reports {@code stopped} (once, now) and ends the reports. */
    @Override
    public void close() {
        synchronized (this) {
            now = new Snapshot(State.STOPPED, now.botUsername(), now.lastUpdateAt(), now.lastError(),
                    now.lastErrorAt(), now.envOverrides());
        }
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        report();
        LOG.info("Telegram bot stopped");
    }
}
