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
    private final Notifications notifications;
    private final EventFeed feed;
    /** Commands and the panel's requests, each on a virtual thread: a slow server call holds up nothing else. */
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("telegram-config-retry").factory());
    private volatile BotConfig config;
    private volatile String lastConfigProblem = "";
    /** Guarded by this. */
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
        this.notifications = new Notifications(telegram, () -> config.delivery(), outbox, api);
        this.feed = new EventFeed(api, notifications, this::event);
    }

    /**
     * Starts the bot: the panel's settings are read now (when the server cannot be reached, the environment's apply
     * until it can), then the long poll and the event stream run in the background until {@link #close}.
     */
    public static Bot start(BotOptions options) {
        Bot bot = new Bot(options, Clock.systemUTC());
        bot.reconfigure();
        bot.notifications.start();
        bot.feed.start();
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

    /** Puts {@code next} in force; a different token restarts the long poll and the Telegram client. */
    synchronized void apply(BotConfig next) {
        if (closed) {
            return;
        }
        config = next;
        status.envOverrides(next.envOverrides());
        if (next.token().equals(polledToken) && (poller != null || next.token().isEmpty())) {
            if (next.token().isEmpty()) {
                status.waitingForToken();
            }
            return;
        }
        if (poller != null) {
            LOG.info(next.token().isEmpty() ? "The bot token was cleared: the long poll stops"
                    : "The bot token changed: the long poll restarts with the new one");
            poller.close();
            poller = null;
        }
        polledToken = next.token();
        if (next.token().isEmpty()) {
            telegram.use(null);
            status.waitingForToken();
            return;
        }
        String token = next.token().get();
        telegram.use(new RateLimitedTelegram(token, options.telegramApiUrl()));
        poller = Poller.start(token, options.telegramUrl(), this::update, status);
    }

    private void update(Update update) {
        work.execute(() -> commands.handle(update));
    }

    /** The panel's "Send /stats now", "Send /warn now" and "Send test message". */
    private void request(JsonObject data) {
        commands.request(data.getString("kind", ""), data.getString("requested_by", "an admin"), config.chats());
    }

    /**
     * Stops the long poll and the event stream, lets commands under way finish (10 s at most), stops the senders
     * and closes the outbox journal (all it holds is on disk), and reports {@code stopped}.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (poller != null) {
                poller.close();
            }
        }
        feed.close();
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
        notifications.close();
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
