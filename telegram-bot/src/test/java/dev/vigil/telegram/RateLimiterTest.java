package dev.vigil.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final FakeTime time = new FakeTime();
    private final RateLimiter limiter = new RateLimiter(time, time);

    @Test
    void aPrivateChatGetsOneMessageASecond() throws InterruptedException {
        limiter.acquire(42);
        assertEquals(Duration.ZERO, time.slept());
        limiter.acquire(42);
        assertEquals(Duration.ofSeconds(1), time.slept());
        limiter.acquire(7);
        assertEquals(Duration.ofSeconds(1), time.slept(), "another chat does not wait for chat 42");
    }

    @Test
    void aGroupGetsTwentyMessagesAMinute() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            limiter.acquire(-100);
        }
        assertEquals(Duration.ofSeconds(19), time.slept(), "one a second for the first twenty");
        limiter.acquire(-100);
        assertEquals(Duration.ofSeconds(60), time.slept(), "the 21st waits until the first left the minute");
        limiter.acquire(-100);
        assertEquals(Duration.ofSeconds(61), time.slept());
    }

    @Test
    void thirtyMessagesASecondInAll() throws InterruptedException {
        for (int chat = 1; chat <= 30; chat++) {
            limiter.acquire(chat);
        }
        assertEquals(Duration.ZERO, time.slept());
        limiter.acquire(31);
        assertEquals(Duration.ofSeconds(1), time.slept());
    }

    @Test
    void fiveHundredMessagesToOneGroupTakeTheirMinutes() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            limiter.acquire(-5);
        }
        // 20 a minute: the 500th message goes out in the 25th minute, never earlier.
        assertEquals(Duration.ofSeconds(24 * 60 + 19), time.slept());
    }

    @Test
    void theNextMessageIsSpacedFromWhenTheSlowCallEnded() throws InterruptedException {
        limiter.acquire(42);
        time.sleep(Duration.ofMillis(300)); // the call took this long to reach Telegram and come back
        limiter.settled(42);
        limiter.acquire(42);
        assertEquals(Duration.ofMillis(1300), time.slept());
    }
}
