package dev.vigil.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backoff schedule, on a clock the test moves. */
class LoginThrottleTest {
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2010-06-15T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void fiveFailuresAreFreeThenEachDoublesTheWaitUpToFifteenMinutes() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        List<Long> waits = new ArrayList<>();
        for (int failure = 1; failure <= 16; failure++) {
            Optional<Duration> wait = throttle.wait("admin", "10.0.0.9");
            if (failure <= LoginThrottle.FREE + 1) {
                assertEquals(Optional.empty(), wait, "attempt " + failure + " is checked at once");
            }
            clock.now = clock.now.plus(wait.orElse(Duration.ZERO));
            throttle.failed("admin", "10.0.0.9");
            waits.add(throttle.wait("admin", "10.0.0.9").map(Duration::toSeconds).orElse(0L));
        }
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L), waits);
    }

    @Test
    void anAttackerAtOneAddressDoesNotLockTheOwnerOutElsewhereAndSuccessClearsTheRecord() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 10; i++) {
            throttle.failed("admin", "203.0.113.7");
        }
        assertTrue(throttle.wait("admin", "203.0.113.7").isPresent());
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.2"), "the owner at their own address");
        throttle.succeeded("admin", "10.0.0.2");
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.2"));
    }

    @Test
    void anAccountGuessedFromManyAddressesIsCheckedOnceEveryTwoSeconds() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE; i++) {
            throttle.failed("admin", "198.51.100." + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.wait("admin", "10.0.0.2"));
        clock.now = clock.now.plusSeconds(2);
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.2"), "slowed, not locked out");
        clock.now = clock.now.plus(Duration.ofHours(1).plusSeconds(1));
        for (int i = 0; i < 10; i++) {
            throttle.failed("admin", "203.0.113.7");
        }
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(Optional.empty(), throttle.wait("admin", "203.0.113.7"), "forgotten an hour after the last");
    }

    @Test
    void aUsernameIsOneAccountInEveryCaseAsAtLogin() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE; i++) {
            throttle.failed(i % 2 == 0 ? "Admin" : "ADMIN", "198.51.100." + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.wait("admin", "10.0.0.2"),
                "guesses spread over the cases of a name count for the one account");
        throttle.succeeded("aDmIn", "10.0.0.2");
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.2"));
    }

    @Test
    void aSprayOfMadeUpUsernamesCannotGrowTheRecordsWithoutBoundButTheSprayerStaysSlowed() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i <= LoginThrottle.MAX_KEYS / 3 + 1; i++) {
            throttle.failed("user" + i, "203.0.113.7");
        }
        throttle.failed("one more", "203.0.113.7");
        assertTrue(throttle.size() <= LoginThrottle.MAX_KEYS, "records: " + throttle.size());
        assertTrue(throttle.wait("anyone", "203.0.113.7").isPresent(), "the address is still closed");
    }
}
