package dev.vigil.server.store;

import java.util.List;
import java.util.Optional;

import dev.vigil.server.model.Role;

/**
 * The Telegram bot's settings as stored (V9): edited in the admin panel (GET/PUT /api/v1/settings/telegram), read
 * by the bot (GET /api/v1/telegram/config).
 *
 * @param token            the bot token in plain text; sealed at rest, and never in {@link #toString()}
 * @param chats            where notifications go
 * @param users            the Telegram users allowed to use the bot, with their roles
 * @param minSeverity      the least severity notified: {@code info}, {@code warning} or {@code critical}
 * @param quietNonCritical non-critical notifications are sent without a sound
 */
public record TelegramSettings(Optional<String> token, List<Chat> chats, List<User> users, String minSeverity,
                               boolean quietNonCritical) {
    /** What a fresh database holds (the migration's row). */
    public static final TelegramSettings NONE = new TelegramSettings(Optional.empty(), List.of(), List.of(),
            "warning", true);

    /** A chat, and optionally a forum topic in it. */
    public record Chat(long chatId, Optional<Integer> topicId) {
    }

    /** A Telegram user and the role Vigil gives them. */
    public record User(long userId, Role role) {
    }

    public TelegramSettings {
        chats = List.copyOf(chats);
        users = List.copyOf(users);
    }

    /** Keeps the token out of every log line and message a record's default text would put it in. */
    @Override
    public String toString() {
        return "TelegramSettings[token=" + (token.isPresent() ? "(set)" : "(none)") + ", chats=" + chats + ", users="
                + users + ", minSeverity=" + minSeverity + ", quietNonCritical=" + quietNonCritical + "]";
    }
}
