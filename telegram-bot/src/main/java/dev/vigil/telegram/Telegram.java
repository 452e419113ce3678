package dev.vigil.telegram;

import java.util.Optional;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * The Bot API calls the bot makes, each within Telegram's limits (1 message a second per chat, 20 a minute per
 * group, 30 a second in all), retried after a 429's {@code retry_after} and with backoff after a 5xx. Messages are
 * HTML ({@link Html}); text longer than Telegram's 4,096 characters is the caller's to split.
 */
public interface Telegram {
    /** A call Telegram refused for good (a 4xx other than 429), or gave up on; {@code status} 0 when unreachable. */
    final class Failure extends HttpFailure {
        public Failure(int status, String message) {
            super(status, message);
        }

        /** Worth trying again later: Telegram was unreachable, overloaded (5xx) or still rate-limiting (429). */
        public boolean retryable() {
            return unreachable() || status() == 429 || status() >= 500;
        }
    }

    /** Sends the message and returns its id; {@code quiet} sends it without a notification sound. */
    long send(ChatTarget to, String html, Optional<InlineKeyboardMarkup> buttons, boolean quiet);

    /** Replaces the text (and buttons: none when empty) of a message sent earlier. */
    void edit(long chatId, long messageId, String html, Optional<InlineKeyboardMarkup> buttons);

    /** Answers a button press, so the user's client stops its spinner; {@code text} shows as a toast. */
    void answer(String callbackQueryId, String text);
}
