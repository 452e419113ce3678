package dev.vigil.telegram;

/** A call over HTTP that did not succeed: the answer's status, or 0 when no answer came. */
public abstract class HttpFailure extends RuntimeException {
    private final int status;

    protected HttpFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
