package dev.vigil.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import dev.vigil.agent.http.Exchange;

/**
 * Tells which of the agent's two tokens a request carries. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, which takes the same time wherever the first difference is and whatever the
 * lengths are.
 */
public final class TokenAuth {

    /** What a request's bearer token grants. */
    public enum Grant { NONE, READ, ACTION }

    private final byte[] readDigest;
    private final Optional<byte[]> actionDigest;

    public TokenAuth(String readToken, Optional<String> actionToken) {
        this.readDigest = digest(readToken);
        this.actionDigest = actionToken.map(TokenAuth::digest);
    }

    public boolean actionsEnabled() {
        return actionDigest.isPresent();
    }

    public Grant grant(Exchange exchange) {
        Optional<String> token = exchange.header("Authorization").flatMap(TokenAuth::bearer);
        if (token.isEmpty()) {
            return Grant.NONE;
        }
        byte[] presented = digest(token.get());
        boolean isRead = MessageDigest.isEqual(presented, readDigest);
        boolean isAction = actionDigest.map(d -> MessageDigest.isEqual(presented, d)).orElse(false);
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

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
