package dev.vigil.telegram;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.longpolling.interfaces.BackOff;
import org.telegram.telegrambots.longpolling.util.DefaultGetUpdatesGenerator;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * The long poll of one bot token, by telegrambots-longpolling. It first asks Telegram who the bot is
 * ({@code getMe}), then registers the bot with the library, which deletes any webhook and polls
 * {@code getUpdates} (50 s long polls) on a thread of its own.
 * <p>
 * The library catches every failed poll itself, logs it with a trace, and waits {@link BackOff} before the next;
 * it has no hook for what Telegram answered. So the OkHttp client given to it has an interceptor that sees each
 * {@code getUpdates} answer: a 409 ("terminated by other getUpdates request": another instance polls the same
 * token) makes the state {@code conflict} and the back-off 30–60 s, so the two do not take turns throwing each
 * other out; other failures back off from 1 s doubling to 60 s. The library's own log lines are turned off in
 * logging.properties; {@link StatusReporter} logs each change in one line.
 */
final class Poller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Poller.class.getName());
    static final Duration CONFLICT_BACKOFF = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** Longer than the library's 50 s long poll. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(75);
    private static final int MAX_DESCRIPTION = 300;

    private final String token;
    private final TelegramUrl url;
    private final Consumer<Update> handler;
    private final StatusReporter status;
    private final OkHttpClient http;
    private final ScheduledExecutorService pollThread;
    private final TelegramBotsLongPollingApplication library;
    private volatile boolean conflict;
    private volatile boolean closed;
    private Duration nextStartDelay = FIRST_BACKOFF;

    /**
     * Starts polling for {@code token} in the background; {@code handler} gets every update, on the poll thread, and
     * must return quickly and never throw.
     */
    static Poller start(String token, TelegramUrl url, Consumer<Update> handler, StatusReporter status) {
        Poller poller = new Poller(token, url, handler, status);
        poller.pollThread.execute(poller::connect);
        return poller;
    }

    private Poller(String token, TelegramUrl url, Consumer<Update> handler, StatusReporter status) {
        this.token = token;
        this.url = url;
        this.handler = handler;
        this.status = status;
        this.http = new OkHttpClient.Builder().readTimeout(READ_TIMEOUT).connectTimeout(Duration.ofSeconds(10))
                .addInterceptor(this::intercept).build();
        this.pollThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("telegram-long-poll").factory());
        this.library = new TelegramBotsLongPollingApplication(ObjectMapper::new, () -> http, () -> pollThread,
                PollBackOff::new);
    }

    /** Who the bot is, then the long poll; on failure again after a back-off (1 s doubling to 60 s). */
    private void connect() {
        if (closed) {
            return;
        }
        try {
            String username = new OkHttpTelegramClient(http, token, url).execute(new GetMe()).getUserName();
            library.registerBot(token, () -> url, new DefaultGetUpdatesGenerator(List.of("message",
                    "callback_query")), updates -> updates.forEach(this::deliver));
            status.running(username);
        } catch (TelegramApiException | RuntimeException e) {
            if (closed) {
                return;
            }
            unregister();
            status.error(reason(e));
            Duration delay = nextStartDelay;
            nextStartDelay = min(nextStartDelay.multipliedBy(2), MAX_BACKOFF);
            pollThread.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void deliver(Update update) {
        status.updateReceived();
        try {
            handler.accept(update);
        } catch (RuntimeException e) { // the library's poll task would end for good on an exception
            LOG.log(java.util.logging.Level.WARNING, "Update " + update.getUpdateId() + " was not handled", e);
        }
    }

    private static String reason(Exception e) {
        if (e instanceof TelegramApiRequestException refused && refused.getErrorCode() != null
                && refused.getErrorCode() != 0) {
            return refused.getErrorCode() == 401 || refused.getErrorCode() == 404
                    ? "Telegram does not know this bot token (" + refused.getErrorCode() + " "
                    + refused.getApiResponse() + "): check it with BotFather"
                    : "Telegram refused getMe: " + refused.getErrorCode() + " " + refused.getApiResponse();
        }
        if (e instanceof TelegramApiRequestException unreadable) {
            return "Telegram's answer to getMe cannot be read: " + unreadable.getMessage();
        }
        String cause = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        return "Telegram cannot be reached: " + cause;
    }

    /** Sees each {@code getUpdates} answer for the library, which keeps none of it. */
    private Response intercept(Interceptor.Chain chain) throws IOException {
        Request request = chain.request();
        if (!request.url().pathSegments().getLast().equalsIgnoreCase("getUpdates")) { // telegrambots asks "getupdates"
            return chain.proceed(request);
        }
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            if (!closed) {
                conflict = false;
                status.error("Telegram cannot be reached: " + e.getMessage());
            }
            throw e;
        }
        conflict = response.code() == 409;
        if (conflict) {
            status.conflict(description(response));
        } else if (!response.isSuccessful()) {
            status.error("Telegram answered getUpdates with " + description(response));
        } else {
            status.polled();
        }
        return response;
    }

    /** Telegram's {@code description} of a refusal, or the status line. */
    private static String description(Response response) throws IOException {
        String body = response.peekBody(4096).string();
        try (var reader = ServerApi.JSON.createReader(new StringReader(body))) {
            JsonObject json = reader.readObject();
            String description = json.getString("description", "");
            if (!description.isBlank()) {
                return response.code() + " " + (description.length() <= MAX_DESCRIPTION ? description
                        : description.substring(0, MAX_DESCRIPTION) + "…");
            }
        } catch (JsonException | ClassCastException notJson) {
            // the status line says enough
        }
        return response.code() + " " + response.message();
    }

    /** The library's wait after a failed poll: 30–60 s after a 409, else 1 s doubling to 60 s. */
    private final class PollBackOff implements BackOff {
        private Duration next = FIRST_BACKOFF;

        @Override
        public void reset() {
            next = FIRST_BACKOFF;
        }

        @Override
        public long nextBackOffMillis() {
            if (conflict) {
                return CONFLICT_BACKOFF.toMillis() + ThreadLocalRandom.current().nextLong(CONFLICT_BACKOFF.toMillis());
            }
            Duration now = next;
            next = min(next.multipliedBy(2), MAX_BACKOFF);
            return now.toMillis();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void unregister() {
        try {
            library.unregisterBot(token);
        } catch (TelegramApiException notRegistered) {
            // registerBot failed before the session was kept
        }
    }

    /** Ends the long poll now: the poll in flight is cancelled, not waited for. */
    @Override
    public void close() {
        closed = true;
        try {
            library.close();
        } catch (Exception e) {
            LOG.warning("Stopping the long poll: " + e.getMessage());
        }
        http.dispatcher().cancelAll();
        pollThread.shutdownNow();
        try {
            if (!pollThread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("The long poll thread did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
