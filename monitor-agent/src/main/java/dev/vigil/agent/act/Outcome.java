package dev.vigil.agent.act;

import java.time.Duration;
import java.util.Locale;

/** What carrying out (or refusing) one action came to, in words for the operator. */
record Outcome(ActionStatus status, String detail) {

    static Outcome succeeded(String detail) {
        return new Outcome(ActionStatus.SUCCEEDED, detail);
    }

    static Outcome failed(String detail) {
        return new Outcome(ActionStatus.FAILED, detail);
    }

    /** A duration in the words of a detail: {@code 30 s}, {@code 0.5 s}, {@code 0.1 s}. */
    static String seconds(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds)
                : String.format(Locale.ROOT, "%.1f", seconds)) + " s";
    }
}
