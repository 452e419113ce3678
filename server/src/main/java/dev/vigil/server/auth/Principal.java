package dev.vigil.server.auth;

import dev.vigil.server.model.Role;

import java.util.Optional;

/**
 * Who is calling: a user with a browser session (then {@code csrfToken} must come back on unsafe methods) or an
 * API token.
 *
 * @param name      the username, {@code token:<name>}, or {@code telegram:<user id>} for a Telegram user an API
 *                  token acts for
 * @param sessionId the session, for a browser caller
 * @param userId    the user, for a browser caller
 */
public record Principal(String name, Role role, Optional<Long> sessionId, Optional<Long> userId,
                        Optional<String> csrfToken) {
    public static Principal token(String tokenName, Role role) {
        return new Principal("token:" + tokenName, role, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A Telegram user an API token acts for (the bot, for a user's command), with the role they get. */
    public static Principal telegram(long telegramUserId, Role role) {
        return new Principal("telegram:" + telegramUserId, role, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public boolean browser() {
        return sessionId.isPresent();
    }
}
