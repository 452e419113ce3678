package dev.vigil.server.auth;

import java.util.Optional;

/**
 * Who is calling: a user with a browser session (then {@code csrfToken} must come back on unsafe methods) or an
 * API token.
 *
 * @param name      the username, or {@code token:<name>}
 * @param sessionId the session, for a browser caller
 * @param userId    the user, for a browser caller
 */
public record Principal(String name, Role role, Optional<Long> sessionId, Optional<Long> userId,
                        Optional<String> csrfToken) {
    public static Principal token(String tokenName, Role role) {
        return new Principal("token:" + tokenName, role, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean browser() {
        return sessionId.isPresent();
    }
}
