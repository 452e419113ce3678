package dev.vigil.agent.act;

import java.util.function.Supplier;

/** What the agent's policy made of a request: refused with a reason, or allowed and ready to run. */
sealed interface Decision {

    record Refused(String reason) implements Decision {
    }

    /**
     * {@code intent} completes "would …" for a dry run; {@code afterRecorded} runs once the result is in the
     * journal (a reboot must not begin before its result is safe on disk).
     */
    record Allowed(String intent, Supplier<Outcome> deed, Runnable afterRecorded) implements Decision {
        Allowed(String intent, Supplier<Outcome> deed) {
            this(intent, deed, () -> { });
        }
    }
}
