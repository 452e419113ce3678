package dev.vigil.server.poll;

/**
 * How one poll of an agent ended; everything but {@link #OK} counts as a failure towards "down". {@link #NOT_SENT}:
 * the request could not even be made (a stored token that cannot be a header, a URL the HTTP client refuses).
 */
public enum PollOutcome {
    OK,
    TIMEOUT,
    REFUSED,
    UNAUTHORIZED,
    HTTP_ERROR,
    BAD_PAYLOAD,
    OVERSIZED,
    UNREACHABLE,
    NOT_SENT;

    public String label() {
        return name().toLowerCase();
    }
}
