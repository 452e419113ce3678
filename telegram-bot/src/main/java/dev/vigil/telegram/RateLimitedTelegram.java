package dev.vigil.telegram;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.ParseMode;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * {@link Telegram} over telegrambots' OkHttp client: every message and edit waits for its turn in the
 * {@link RateLimiter}; a 429 is retried after its {@code retry_after}, a 5xx or an unreachable Bot API with
 * exponential backoff (1 s doubling to 60 s), until the call has taken {@code patience} — then it is a retryable
 * {@link Telegram.Failure} and the caller (the outbox) decides when to try again. An edit Telegram answers with
 * "message is not modified" already shows that text, so it counts as done.
 */
public final class RateLimitedTelegram implements Telegram {
    private static final Logger LOG = Logger.getLogger(RateLimitedTelegram.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(2);
    /** Telegram forgets a button press after about 15 s: an answer later than that spins for nobody. */
    private static final Duration ANSWER_PATIENCE = Duration.ofSeconds(10);
    private static final String NOT_MODIFIED = "message is not modified";

    private final TelegramClient client;
    private final RateLimiter limiter;
    private final InstantSource clock;
    private final RateLimiter.Sleeper sleeper;
    private final Duration patience;

    /** A client of the Bot API at {@code apiBaseUrl} (e.g. {@code https://api.telegram.org}) for the bot {@code token}. */
    public RateLimitedTelegram(String token, String apiBaseUrl) {
        this(new OkHttpTelegramClient(token, url(apiBaseUrl)), InstantSource.system(), Thread::sleep,
                DEFAULT_PATIENCE);
    }

    RateLimitedTelegram(TelegramClient client, InstantSource clock, RateLimiter.Sleeper sleeper, Duration patience) {
        this.client = client;
        this.limiter = new RateLimiter(clock, sleeper);
        this.clock = clock;
        this.sleeper = sleeper;
        this.patience = patience;
    }

    /** telegrambots' form of a Bot API base URL: scheme, host and port (it has no room for a path). */
    public static TelegramUrl url(String apiBaseUrl) {
        URI uri = URI.create(apiBaseUrl.strip());
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")
                || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("the Telegram Bot API URL must be http(s)://host[:port], not "
                    + apiBaseUrl);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new TelegramUrl(scheme, uri.getHost(), port, false);
    }

    @Override
    public long send(ChatTarget to, String html, Optional<InlineKeyboardMarkup> buttons, boolean quiet) {
        SendMessage message = SendMessage.builder()
                .chatId(to.chatId())
                .messageThreadId(to.topicId().orElse(null))
                .text(html)
                .parseMode(ParseMode.HTML)
                .disableWebPagePreview(true)
                .disableNotification(quiet)
                .replyMarkup(buttons.orElse(null))
                .build();
        Message sent = call(to.chatId(), message);
        return sent.getMessageId();
    }

    @Override
    public void edit(long chatId, long messageId, String html, Optional<InlineKeyboardMarkup> buttons) {
        EditMessageText edit = EditMessageText.builder()
                .chatId(chatId)
                .messageId(Math.toIntExact(messageId))
                .text(html)
                .parseMode(ParseMode.HTML)
                .disableWebPagePreview(true)
                .replyMarkup(buttons.orElse(null))
                .build();
        try {
            call(chatId, edit);
        } catch (Failure failure) {
            if (failure.status() != 400 || !failure.getMessage().toLowerCase(Locale.ROOT).contains(NOT_MODIFIED)) {
                throw failure;
            }
        }
    }

    @Override
    public void answer(String callbackQueryId, String text) {
        call(null, AnswerCallbackQuery.builder().callbackQueryId(callbackQueryId).text(text).build(),
                ANSWER_PATIENCE.compareTo(patience) < 0 ? ANSWER_PATIENCE : patience);
    }

    /** Runs the call within the limits of {@code chatId} (none for a null id), retrying as the class says. */
    private <T extends Serializable> T call(Long chatId, BotApiMethod<T> method) {
        return call(chatId, method, patience);
    }

    private <T extends Serializable> T call(Long chatId, BotApiMethod<T> method, Duration giveUpAfter) {
        Instant giveUp = clock.instant().plus(giveUpAfter);
        Duration backoff = FIRST_BACKOFF;
        try {
            while (true) {
                if (chatId != null) {
                    limiter.acquire(chatId);
                }
                Failure failure;
                Duration wait;
                try {
                    return client.executeAsync(method).get();
                } catch (ExecutionException e) {
                    failure = failure(method, e.getCause());
                    wait = retryAfter(e.getCause()).orElse(backoff);
                } catch (TelegramApiException e) {
                    // thrown before anything is sent: the call itself is invalid (validation, serialization)
                    throw new Failure(400, method.getMethod() + " cannot be sent: " + e.getMessage());
                } finally {
                    if (chatId != null) {
                        limiter.settled(chatId);
                    }
                }
                if (!failure.retryable() || clock.instant().plus(wait).isAfter(giveUp)) {
                    throw failure;
                }
                LOG.warning(() -> failure.getMessage() + "; trying again in " + wait.toSeconds() + " s");
                sleeper.sleep(wait);
                if (failure.status() != 429) {
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(0, method.getMethod() + " was interrupted");
        }
    }

    private static Optional<Duration> retryAfter(Throwable cause) {
        return cause instanceof TelegramApiRequestException request && request.getParameters() != null
                && request.getParameters().getRetryAfter() != null
                ? Optional.of(Duration.ofSeconds(Math.max(1, request.getParameters().getRetryAfter())))
                : Optional.empty();
    }

    /**
     * Telegram's refusal with its error code and description; an answer that is not the Bot API's JSON (a proxy's
     * 502 page) counts as a 5xx, a failed connection as unreachable (0).
     */
    private static Failure failure(BotApiMethod<?> method, Throwable cause) {
        if (cause instanceof TelegramApiRequestException request) {
            int status = request.getErrorCode() != null && request.getErrorCode() != 0 ? request.getErrorCode() : 502;
            String description = Optional.ofNullable(request.getApiResponse()).orElse(request.getMessage());
            return new Failure(status, "Telegram refused " + method.getMethod() + " (" + status + "): "
                    + description);
        }
        return new Failure(0, "Telegram cannot be reached for " + method.getMethod() + ": "
                + (cause == null ? "no answer" : cause.getMessage()));
    }
}
