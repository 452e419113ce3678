package dev.vigil.agent.history;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring of recent snapshots and its file, on an injected clock. */
class SnapshotHistoryTest {
    /** Far from today on purpose: nothing here depends on the real date. */
    private static final Instant START = Instant.parse("2031-03-04T05:06:07.250Z");
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(START);

    private SnapshotHistory history(Duration keep, long maxBytes) {
        return new SnapshotHistory(keep, INTERVAL, maxBytes, clock);
    }

    /** Takes a sample now: a snapshot-like object named {@code n}, then lets one interval pass. */
    private byte[] sample(SnapshotHistory history, int n) {
        byte[] json = snapshot(clock.instant(), n);
        history.add(clock.instant(), json);
        clock.advance(INTERVAL);
        return json;
    }

    private static byte[] snapshot(Instant at, int n) {
        return ("{\"hostname\":\"h" + n + "\",\"collected_at\":\"" + at + "\",\"cpu\":{\"percent\":12.5}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String served(SnapshotHistory history, Optional<BigDecimal> since) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        history.write(since, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String array(byte[]... snapshots) {
        StringBuilder joined = new StringBuilder("[");
        for (byte[] s : snapshots) {
            joined.append(joined.length() > 1 ? "," : "").append(new String(s, StandardCharsets.UTF_8));
        }
        return joined.append(']').toString();
    }

    private static Optional<BigDecimal> since(String value) {
        return SnapshotHistory.since(List.of(value));
    }

    @Test
    void servesWhatWasSampledOldestFirstAndOnlyWhatCameStrictlyAfterSince() throws IOException {
        SnapshotHistory history = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES);
        assertEquals("[]", served(history, Optional.empty()));
        byte[] first = sample(history, 1);
        byte[] second = sample(history, 2);
        byte[] third = sample(history, 3);

        assertEquals(array(first, second, third), served(history, Optional.empty()));
        long secondAt = START.plus(INTERVAL).toEpochMilli();
        assertEquals(array(third), served(history, since(new BigDecimal(secondAt).movePointLeft(3).toPlainString())),
                "a snapshot collected exactly at since is not after it");
        assertEquals(array(second, third), served(history, since(new BigDecimal(secondAt - 1).movePointLeft(3)
                .toPlainString())));
        assertEquals(array(first, second, third), served(history, since(Long.toString(START.getEpochSecond()))),
                "250 ms after a whole second is after it");
        assertEquals(array(second, third), served(history, since(Long.toString(START.getEpochSecond() + 1))));
        assertEquals(array(first, second, third), served(history, since("0")));
        assertEquals("[]", served(history, since("99999999999999999999999999.5")));
    }

    @Test
    void keepsTheSameBytesItWasGiven() throws IOException {
        SnapshotHistory history = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES);
        byte[] json = sample(history, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        history.write(Optional.empty(), out);
        byte[] body = out.toByteArray();
        assertArrayEquals(json, java.util.Arrays.copyOfRange(body, 1, body.length - 1));
    }

    @Test
    void keepsAtMostHistoryOverIntervalSnapshots() throws IOException {
        SnapshotHistory history = history(Duration.ofSeconds(10), SnapshotHistory.MAX_BYTES);
        byte[][] samples = new byte[8][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = sample(history, i);
        }
        assertEquals(5, history.size(), "10 s at one sample every 2 s");
        clock.set(START.plus(INTERVAL.multipliedBy(7)));
        assertEquals(array(samples[3], samples[4], samples[5], samples[6], samples[7]),
                served(history, Optional.empty()));
    }

    @Test
    void dropsWhatIsOlderThanTheWindowEvenWhenNoSampleComes() throws IOException {
        SnapshotHistory history = history(Duration.ofMinutes(1), SnapshotHistory.MAX_BYTES);
        sample(history, 1);
        byte[] second = sample(history, 2);
        clock.set(START.plus(Duration.ofMinutes(1)));
        assertEquals(array(second), served(history, Optional.empty()));
        clock.advance(Duration.ofHours(1));
        assertEquals("[]", served(history, Optional.empty()));
        assertEquals(0, history.bytes());
    }

    @Test
    void theByteBoundHoldsWhateverTheSettings() {
        long bound = 10_000;
        SnapshotHistory history = history(Duration.ofDays(7), bound);
        long uncompressed = snapshot(START, 1).length + SnapshotHistory.OVERHEAD;
        for (int i = 0; i < 1_000; i++) {
            sample(history, 1);
            assertTrue(history.bytes() <= bound, history.bytes() + " bytes kept");
        }
        assertTrue(history.bytes() > bound - uncompressed, "full up to the bound: " + history.bytes());
        assertTrue(history.size() > bound / uncompressed, "deflated, more fit than plain JSON would: "
                + history.size());
    }

    @Test
    void historyOffKeepsNothing() throws IOException {
        SnapshotHistory history = history(Duration.ZERO, SnapshotHistory.MAX_BYTES);
        sample(history, 1);
        assertEquals("[]", served(history, Optional.empty()));
    }

    @Test
    void sinceIsOneFiniteNonNegativeNumberOfEpochSeconds() {
        assertEquals(Optional.empty(), SnapshotHistory.since(List.of()));
        assertEquals(Optional.of(new BigDecimal("1764540000")), since("1764540000"));
        assertEquals(Optional.of(new BigDecimal("1764540000.123")), since("1764540000.123"));
        for (String bad : List.of("", "-1", "abc", "NaN", "Infinity", "1e9", "0x10", " 1", "1.", ".5", "1,5",
                "1".repeat(31))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> since(bad), bad);
            assertTrue(e.getMessage().startsWith("since must be"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SnapshotHistory.since(List.of("1", "2")));
    }

    @Test
    void theFileOutlivesARestart() throws IOException {
        Path file = dir.resolve("history.jsonl");
        byte[] first;
        byte[] second;
        try (SnapshotHistory before = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES)) {
            before.attach(file);
            first = sample(before, 1);
            second = sample(before, 2);
        }
        assertEquals(array(first, second).replace("[", "").replace("]", "").replace("},{", "}\n{") + "\n",
                Files.readString(file), "one line per snapshot");
        clock.advance(Duration.ofMinutes(5));
        try (SnapshotHistory after = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES)) {
            after.attach(file);
            byte[] third = sample(after, 3);
            assertEquals(array(first, second, third), served(after, Optional.empty()));
        }
    }

    @Test
    void onlyWhatIsWithinTheWindowIsReadBack() throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (SnapshotHistory before = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES)) {
            before.attach(file);
            sample(before, 1);
        }
        clock.advance(Duration.ofHours(2));
        try (SnapshotHistory after = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES)) {
            after.attach(file);
            assertEquals("[]", served(after, Optional.empty()));
        }
        assertEquals("", Files.readString(file), "what is out of the window is not written back");
    }

    @Test
    void aTornLastLineAndGarbageAreSkippedAndTheFileIsWholeAgain() throws IOException {
        Path file = dir.resolve("history.jsonl");
        byte[] good = snapshot(START, 1);
        byte[] alsoGood = snapshot(START.plusSeconds(2), 2);
        byte[] torn = java.util.Arrays.copyOf(snapshot(START.plusSeconds(4), 3), 30);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(good);
        content.write('\n');
        content.write("not json\n\n{\"collected_at\":\"yesterday\"}\n{\"no\":\"time\"}\n".getBytes(StandardCharsets.UTF_8));
        content.write(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}', '\n'});
        content.write(alsoGood);
        content.write('\n');
        content.write(torn);
        Files.write(file, content.toByteArray());
        clock.set(START.plusSeconds(6));

        try (SnapshotHistory history = history(Duration.ofHours(1), SnapshotHistory.MAX_BYTES)) {
            history.attach(file);
            byte[] next = sample(history, 4);
            assertEquals(array(good, alsoGood, next), served(history, Optional.empty()));
            assertEquals(array(good, alsoGood, next).replace("[", "").replace("]", "").replace("},{", "}\n{")
                    + "\n", Files.readString(file), "rewritten without the torn line, and appended after it");
        }
    }

    @Test
    void theFileIsCompactedToTheWindowSoItStaysBounded() throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (SnapshotHistory history = history(Duration.ofSeconds(20), SnapshotHistory.MAX_BYTES)) {
            history.attach(file);
            byte[] padding = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            long largest = 0;
            for (int i = 0; i < 500; i++) {
                byte[] json = ("{\"collected_at\":\"" + clock.instant() + "\",\"pad\":\""
                        + new String(padding, StandardCharsets.UTF_8) + "\"}").getBytes(StandardCharsets.UTF_8);
                history.add(clock.instant(), json);
                clock.advance(INTERVAL);
                largest = Math.max(largest, Files.size(file));
            }
            assertTrue(largest <= HistoryFile.MIN_COMPACT, largest + " bytes at most");
            assertEquals(10, history.size());
        }
        try (SnapshotHistory reread = history(Duration.ofSeconds(20), SnapshotHistory.MAX_BYTES)) {
            reread.attach(file);
            assertEquals(9, reread.size(), "the window, less the one that aged out since the last sample");
        }
    }

    @Test
    void aFileThatCannotBeReadOrWrittenStopsTheStartNamingTheVariable() throws IOException {
        Path missingDirectory = dir.resolve("no-such-dir/history.jsonl");
        IOException e = assertThrows(IOException.class, () -> history(Duration.ofHours(1), 1_000).attach(missingDirectory));
        assertTrue(HistoryFile.reason(e).contains("no such directory"), HistoryFile.reason(e));
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThrows(IOException.class, () -> history(Duration.ofHours(1), 1_000).attach(directory));
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        void set(Instant to) {
            now = to;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
