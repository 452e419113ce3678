package dev.vigil.telegram;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Telegram's message limits: one message a second per chat, twenty a minute per group (negative chat id) and
 * thirty a second in all, counted over sliding windows of the times messages actually went out. A caller waits
 * only for its own chat's turn, so a busy group never holds up a private chat.
 */
final class RateLimiter {
    /** Waits; a test's sleeper advances its clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Duration CHAT_GAP = Duration.ofSeconds(1);
    private static final int GROUP_COUNT = 20;
    private static final Duration GROUP_WINDOW = Duration.ofMinutes(1);
    private static final int OVERALL_COUNT = 30;
    private static final Duration OVERALL_WINDOW = Duration.ofSeconds(1);

    private final InstantSource clock;
    private final Sleeper sleeper;
    /** Send times per chat, oldest first, as far back as the chat's window reaches. */
    private final Map<Long, Deque<Instant>> sentPerChat = new HashMap<>();
    private final Deque<Instant> sentOverall = new ArrayDeque<>();

    RateLimiter(InstantSource clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Blocks until a message to {@code chatId} is within the limits, and counts it as sent now. */
    void acquire(long chatId) throws InterruptedException {
        for (Duration wait = tryAcquire(chatId); !wait.isZero(); wait = tryAcquire(chatId)) {
            sleeper.sleep(wait);
        }
    }

    /** Zero when the message may go now (and it is counted), else how long to wait before asking again. */
    private synchronized Duration tryAcquire(long chatId) {
        Instant now = clock.instant();
        boolean group = chatId < 0;
        Deque<Instant> chat = sentPerChat.getOrDefault(chatId, new ArrayDeque<>());
        forget(chat, group ? GROUP_WINDOW : CHAT_GAP, now);
        forget(sentOverall, OVERALL_WINDOW, now);
        List<Instant> allowed = new ArrayList<>(List.of(now));
        if (!chat.isEmpty()) {
            allowed.add(chat.peekLast().plus(CHAT_GAP));
        }
        if (group) {
            allowed.add(full(chat, GROUP_COUNT, GROUP_WINDOW, now));
        }
        allowed.add(full(sentOverall, OVERALL_COUNT, OVERALL_WINDOW, now));
        Instant earliest = allowed.stream().max(Instant::compareTo).orElseThrow();
        if (earliest.isAfter(now)) {
            if (chat.isEmpty()) {
                sentPerChat.remove(chatId);
            }
            return Duration.between(now, earliest);
        }
        chat.addLast(now);
        sentPerChat.put(chatId, chat);
        sentOverall.addLast(now);
        return Duration.ZERO;
    }

    /**
     * Moves the chat's latest send time to now, when its call has ended: Telegram counts a message when it arrives,
     * which a slow call (a new connection) delays, so the next one is spaced from that, not from the start.
     */
    synchronized void settled(long chatId) {
        Deque<Instant> chat = sentPerChat.get(chatId);
        if (chat != null && !chat.isEmpty()) {
            chat.removeLast();
            chat.addLast(clock.instant());
        }
    }

    /** Drops the send times that fell out of the window. */
    private static void forget(Deque<Instant> sent, Duration window, Instant now) {
        while (!sent.isEmpty() && !sent.peekFirst().plus(window).isAfter(now)) {
            sent.removeFirst();
        }
    }

    /** When a window already holding {@code sent} (all within it) takes one more of at most {@code count}. */
    private static Instant full(Deque<Instant> sent, int count, Duration window, Instant now) {
        if (sent.size() < count) {
            return now;
        }
        return sent.stream().skip(sent.size() - count).findFirst().orElseThrow().plus(window);
    }
}
