package dev.vigil.server.poll;

/** How one poll of an agent ended; everything but {@link #OK} counts as a failure towards "down". */
public enum PollOutcome {
    OK,
    TIMEOUT,
    REFUSED,
    UNAUTHORIZED,
    HTTP_ERROR,
    BAD_PAYLOAD,
    OVERSIZED,
    UNREACHABLE;

    public String label() {
        return name().toLowerCase();
    }
}
