package dev.vigil.telegram;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * The running bot: reads the admin panel's Telegram settings at start and on every {@code telegram_changed} event,
 * merges them with the environment's ({@link BotConfig#merge}) and applies the result at once — a new, changed or
 * cleared bot token restarts the long poll and the Telegram client; chats, users and the severity threshold are read
 * per use. Without a token it waits (state {@code waiting_for_token}) and calls Telegram not at all.
 *
 * <p>Of several bot processes on one Vigil cluster, only the holder of the poller lease ({@link PollerLease})
 * long-polls Telegram, notifies and answers the panel's requests; the others stand by (state {@code standby}) and
 * call Telegram not at all. A standby follows the event stream only to keep its outbox's cursor current
 * ({@link EventFeed#standby}), not to fill its outbox: the outbox is on its own disk, so on taking over it would send
 * again everything the holder had sent. Taking over, it reads the panel's settings afresh and catches up through the
 * API with the last few minutes (what the previous holder may not have handled before its lease ran out): around a
 * handover a notification may come twice — the incidents still open, the approvals still waiting — and none is lost.
 */
public final class Bot implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Bot.class.getName());
    private static final Duration CONFIG_RETRY = Duration.ofSeconds(10);

    private final BotOptions options;
    private final ServerApi api;
    private final StatusReporter status;
    private final SwitchedTelegram telegram = new SwitchedTelegram();
    private final Commands commands;
    private final Outbox outbox;
    private final PollerLease lease;
    /** Commands and the panel's requests, each on a virtual thread: a slow server call holds up nothing else. */
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("telegram-config-retry").factory());
    private volatile BotConfig config;
    private volatile String lastConfigProblem = "";
    /**
     * Guarded by this: while this process holds the poller lease, the notifications and the event feed that feeds
     * them; while it stands by, a feed that keeps the outbox's cursor only ({@code stoodBy} from then on).
     */
    private boolean leading;
    private boolean stoodBy;
    private Notifications notifications;
    private EventFeed feed;
    private Poller poller;
    private Optional<String> polledToken = Optional.empty();
    private boolean retryPending;
    private boolean closed;

    private Bot(BotOptions options, Clock clock) {
        this.options = options;
        this.api = new ServerApi(options.serverUrl(), options.apiToken());
        this.config = BotConfig.merge(options, BotConfig.Panel.NONE);
        this.outbox = Outbox.open(options.dataDir());
        this.status = new StatusReporter(api, clock, outbox::pending, outbox::sentTotal);
        this.commands = new Commands(api, telegram, () -> config, () -> status.snapshot().botUsername(), clock);
        this.lease = new PollerLease(api, options.instanceId(), this::lead);
    }

    /**
     * Starts the bot: the poller lease is claimed now, and while it is held the panel's settings are read (when the
     * server cannot be reached, the environment's apply until it can) and the long poll and the event stream run in
     * the background, until {@link #close}.
     */
    public static Bot start(BotOptions options) {
        Bot bot = new Bot(options, Clock.systemUTC());
        bot.lease.start();
        bot.standBy();
        return bot;
    }

    /** What the bot was started with. */
    public BotOptions options() {
        return options;
    }

    /** The configuration in force. */
    BotConfig config() {
        return config;
    }

    StatusReporter.Snapshot status() {
        return status.snapshot();
    }

    /** Starts or stops the long poll, the notifications and their event feed as the poller lease is gained or lost. */
    private void lead(boolean held) {
        EventFeed previous;
        Notifications stopped;
        synchronized (this) {
            if (closed || held == leading) {
                return;
            }
            leading = held;
            previous = feed;
            feed = null;
            stopped = notifications;
            notifications = null;
            if (!held) {
                apply(config); // the long poll stops
            }
        }
        if (previous != null) {
            previous.close(); // one feed at a time writes the outbox's cursor
        }
        if (stopped != null) {
            stopped.close();
        }
        if (!held) {
            standBy();
            return;
        }
        reconfigure(); // a standby hears no telegram_changed, so the settings are read afresh; applied, the poll starts
        synchronized (this) {
            if (!closed && leading) {
                notifications = new Notifications(telegram, () -> config.delivery(), outbox, api);
                feed = new EventFeed(api, notifications, this::event, stoodBy);
                notifications.start();
                feed.start();
            }
        }
    }

    /** Without the lease: shown as standing by, and the event stream followed for the outbox's cursor only. */
    private synchronized void standBy() {
        if (!closed && !leading && feed == null) {
            apply(config);
            stoodBy = true;
            feed = EventFeed.standby(api, outbox);
            feed.start();
        }
    }

    /** The panel's events, as {@link EventFeed} passes them on; the notifications' go to {@link Notifications}. */
    private void event(ServerApi.Event event) {
        switch (event.type()) {
            case "telegram_changed", "reset" -> work.execute(this::reconfigure);
            case "telegram_request" -> work.execute(() -> request(event.data()));
            default -> LOG.fine(() -> "Not the bot's event: " + event.type());
        }
    }

    /** Reads the panel's settings and applies them; when that fails, the current ones stay and it is tried again. */
    private void reconfigure() {
        BotConfig.Panel panel;
        try {
            panel = BotConfig.Panel.from(api.get("/api/v1/telegram/config").asJsonObject());
        } catch (ServerApi.Failure | IllegalArgumentException e) {
            String problem = "Cannot read the Telegram settings from the server (" + e.getMessage() + "); "
                    + (polledToken.isPresent() || options.envToken().isPresent() ? "the environment's and the last"
                    + " read apply" : "only the environment's apply") + ", trying again every "
                    + CONFIG_RETRY.toSeconds() + " s";
            if (!problem.equals(lastConfigProblem)) {
                LOG.warning(problem);
                lastConfigProblem = problem;
            }
            apply(config);
            retryLater();
            return;
        }
        if (!lastConfigProblem.isEmpty()) {
            LOG.info("Read the Telegram settings from the server");
            lastConfigProblem = "";
        }
        apply(BotConfig.merge(options, panel));
    }

    private synchronized void retryLater() {
        if (!retryPending && !closed) {
            retryPending = true;
            retries.schedule(() -> {
                synchronized (this) {
                    retryPending = false;
                }
                reconfigure();
            }, CONFIG_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Puts {@code next} in force; a different token restarts the long poll and the Telegram client. Only while this
     * process holds the poller lease is there a long poll and a Telegram client.
     */
    private synchronized void apply(BotConfig next) {
        if (closed) {
            return;
        }
        config = next;
        status.envOverrides(next.envOverrides());
        Optional<String> polled = leading ? next.token() : Optional.empty();
        if (polled.equals(polledToken) && (poller != null || polled.isEmpty())) {
            if (polled.isEmpty()) {
                idle();
            }
            return;
        }
        if (poller != null) {
            LOG.info(!leading ? "This instance no longer holds the poller lease: the long poll stops"
                    : polled.isEmpty() ? "The bot token was cleared: the long poll stops"
                    : "The bot token changed: the long poll restarts with the new one");
            poller.close();
            poller = null;
        }
        polledToken = polled;
        if (polled.isEmpty()) {
            telegram.use(null);
            idle();
            return;
        }
        String token = polled.get();
        telegram.use(new RateLimitedTelegram(token, options.telegramApiUrl()));
        poller = Poller.start(token, options.telegramUrl(), this::update, status);
    }

    /** Guarded by this. */
    private void idle() {
        if (leading) {
            status.waitingForToken();
        } else {
            status.standby();
        }
    }

    private void update(Update update) {
        work.execute(() -> commands.handle(update));
    }

    /** The panel's "Send /stats now", "Send /warn now" and "Send test message". */
    private void request(JsonObject data) {
        commands.request(data.getString("kind", ""), data.getString("requested_by", "an admin"), config.chats());
    }

    /**
     * Stops the long poll and the event stream, lets commands under way finish (10 s at most), stops the senders,
     * gives the poller lease up (another bot takes over once this one neither polls nor sends), closes the outbox
     * journal (all it holds is on disk), and reports {@code stopped}.
     */
    @Override
    public void close() {
        Notifications stoppedNotifications;
        EventFeed stoppedFeed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (poller != null) {
                poller.close();
            }
            stoppedNotifications = notifications;
            stoppedFeed = feed;
        }
        if (stoppedFeed != null) {
            stoppedFeed.close();
        }
        retries.shutdownNow();
        work.shutdown();
        try {
            if (!work.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("Commands still under way after 10 s are cut short");
                work.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stoppedNotifications != null) {
            stoppedNotifications.close();
        }
        lease.close();
        outbox.close();
        status.close();
    }

    /** The Telegram client of the token in force; without a token every call fails (as Telegram unreachable). */
    private static final class SwitchedTelegram implements Telegram {
        private volatile Telegram current;

        void use(Telegram next) {
            current = next;
        }

        private Telegram current() {
            Telegram now = current;
            if (now == null) {
                throw new Telegram.Failure(0, "no bot token is set");
            }
            return now;
        }

        @Override
        public long send(ChatTarget to, String html, Optional<InlineKeyboardMarkup> buttons, boolean quiet) {
            return current().send(to, html, buttons, quiet);
        }

        @Override
        public void edit(long chatId, long messageId, String html, Optional<InlineKeyboardMarkup> buttons) {
            current().edit(chatId, messageId, html, buttons);
        }

        @Override
        public void answer(String callbackQueryId, String text) {
            current().answer(callbackQueryId, text);
        }
    }
}
