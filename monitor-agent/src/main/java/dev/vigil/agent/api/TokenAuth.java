package dev.vigil.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import dev.vigil.agent.http.Exchange;

/**
 * Tells which of the agent's two tokens a request carries. Tokens are compared with
 * {@link MessageDigest#isEqual}, presented token first: its time depends on the presented token's length alone,
 * not on where the first difference is nor on the configured token's length.
 */
public final class TokenAuth {

    /** What a request's bearer token grants. */
    public enum Grant { NONE, READ, ACTION }

    private final byte[] readToken;
    private final Optional<byte[]> actionToken;

    public TokenAuth(String readToken, Optional<String> actionToken) {
        this.readToken = bytes(readToken);
        this.actionToken = actionToken.map(TokenAuth::bytes);
    }

    public boolean actionsEnabled() {
        return actionToken.isPresent();
    }

    public Grant grant(Exchange exchange) {
        Optional<String> token = exchange.header("Authorization").flatMap(TokenAuth::bearer);
        if (token.isEmpty()) {
            return Grant.NONE;
        }
        byte[] presented = bytes(token.get());
        boolean isRead = MessageDigest.isEqual(presented, readToken);
        boolean isAction = actionToken.map(d -> MessageDigest.isEqual(presented, d)).orElse(false);
        return isAction ? Grant.ACTION : isRead ? Grant.READ : Grant.NONE;
    }

    static Optional<String> bearer(String header) {
        String value = header.strip();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }

    private static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.UTF_8);
    }
}
