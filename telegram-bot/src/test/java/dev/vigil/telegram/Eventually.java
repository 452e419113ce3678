package dev.vigil.telegram;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what the bot's threads do. */
final class Eventually {
    private Eventually() {
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
