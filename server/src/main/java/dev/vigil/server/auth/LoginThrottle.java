package dev.vigil.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing without locking the real user out for good (docs/security.md):
 * <ul>
 *   <li>an address, and an account from one address, get {@value #FREE} failures free; each failure after that
 *       closes them for twice as long as the last (1 s, 2 s, 4 s, … at most 15 minutes);</li>
 *   <li>an account failing from many addresses ({@value #ACCOUNT_FREE} failures within the hour) is checked at
 *       most once every {@link #ACCOUNT_SPACING}: slow for a botnet, a moment's wait for its owner.</li>
 * </ul>
 * A success clears the account's and the address's record. Records are forgotten an hour after their last
 * failure; past {@value #MAX_KEYS} records (a spray of made-up usernames) the per-account ones are dropped and
 * the per-address ones kept. A username counts in any case, as it logs in ("Admin" is admin).
 */
public final class LoginThrottle {
    static final int FREE = 5;
    static final int ACCOUNT_FREE = 20;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration ACCOUNT_SPACING = Duration.ofSeconds(2);
    private static final Duration FORGET = Duration.ofHours(1);
    static final int MAX_KEYS = 100_000;

    private record Failures(int count, Instant last, Instant closedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long this attempt must wait; empty when it may be checked now. */
    public Optional<Duration> wait(String username, String address) {
        Instant now = clock.instant();
        Instant open = later(closedUntil("address:" + address, now), closedUntil(pair(username, address), now));
        Failures account = current(accountKey(username), now);
        if (account != null && account.count() >= ACCOUNT_FREE) {
            open = later(open, account.last().plus(ACCOUNT_SPACING));
        }
        return open.isAfter(now) ? Optional.of(Duration.between(now, open)) : Optional.empty();
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            failures.entrySet().removeIf(e -> e.getValue().last().plus(FORGET).isBefore(now));
            if (failures.size() > MAX_KEYS) {
                // a spray of made-up usernames: the per-address records, which slow the sprayer, are kept
                failures.keySet().removeIf(key -> !key.startsWith("address:"));
            }
        }
        for (String key : new String[] {"address:" + address, pair(username, address), accountKey(username)}) {
            failures.compute(key, (k, before) -> {
                int count = (before == null || before.last().plus(FORGET).isBefore(now) ? 0 : before.count()) + 1;
                Instant closed = count <= FREE || k.startsWith("account:") ? now
                        : now.plus(min(Duration.ofSeconds(1L << Math.min(count - FREE - 1, 20)), MAX_WAIT));
                return new Failures(count, now, closed);
            });
        }
    }

    public void succeeded(String username, String address) {
        failures.remove("address:" + address);
        failures.remove(pair(username, address));
        failures.remove(accountKey(username));
    }

    /** Records kept now. */
    int size() {
        return failures.size();
    }

    private Instant closedUntil(String key, Instant now) {
        Failures entry = current(key, now);
        return entry == null ? now : entry.closedUntil();
    }

    private Failures current(String key, Instant now) {
        Failures entry = failures.get(key);
        return entry == null || entry.last().plus(FORGET).isBefore(now) ? null : entry;
    }

    private static String accountKey(String username) {
        return "account:" + username.toLowerCase(Locale.ROOT);
    }

    private static String pair(String username, String address) {
        return "pair:" + username.toLowerCase(Locale.ROOT) + "@" + address;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
