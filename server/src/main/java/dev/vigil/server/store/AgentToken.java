package dev.vigil.server.store;

import java.util.Optional;

/**
 * What an agent token (read or action) may be. It travels as {@code Authorization: Bearer <token>}, so it must be a
 * header value that cannot end the header and start another: 1–{@value #MAX_LENGTH} visible ASCII characters, no
 * spaces, no control characters. Checked when a host is written, and again before a stored token is sent (one
 * stored before this rule existed).
 */
public final class AgentToken {
    public static final int MAX_LENGTH = 512;

    private AgentToken() {
    }

    /** Why {@code token} cannot be sent, to follow the field's name ("must …"); never quotes the token. */
    public static Optional<String> problem(String token) {
        if (token.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (token.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters, not " + token.length());
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return Optional.of("must be visible ASCII characters without spaces or control characters: character "
                        + (i + 1) + " is " + describe(c));
            }
        }
        return Optional.empty();
    }

    private static String describe(char c) {
        return switch (c) {
            case '\r', '\n' -> "a line break";
            case ' ' -> "a space";
            case '\t' -> "a tab";
            default -> Character.isISOControl(c) ? "a control character" : "not ASCII";
        };
    }
}
