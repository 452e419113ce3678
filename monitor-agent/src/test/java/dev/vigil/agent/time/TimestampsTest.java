package dev.vigil.agent.time;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each hand-written form against the JDK's formatter, at instants around now and far from it. */
class TimestampsTest {
    private static final long SPREAD = 100L << 25; // ±106 years in seconds
    private final Random random = new Random(3);
    private final long now = System.currentTimeMillis() / 1000;

    private long someSecond() {
        return now + random.nextLong(-SPREAD, SPREAD);
    }

    @Test
    void imfFixdateIsWhatTheJdkWritesForTheHttpDateHeader() {
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
                .withZone(ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            long second = someSecond();

            assertEquals(jdk.format(Instant.ofEpochSecond(second)), Timestamps.imfFixdate(second));
        }
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", Timestamps.imfFixdate(784_111_777), "RFC 9110's example");
    }

    @Test
    void iso8601IsInstantToStringAtEveryPrecisionAndBeyondFourDigitYears() {
        int[] units = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < 20_000; i++) {
            int unit = units[i % units.length];
            Instant at = Instant.ofEpochSecond(someSecond(), random.nextInt(1_000_000_000 / unit) * (long) unit);

            assertEquals(at.toString(), Timestamps.iso8601(at));
        }
        for (Instant far : new Instant[] {Instant.ofEpochSecond(-1L << 40), Instant.ofEpochSecond(1L << 40),
                Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z")}) {
            assertEquals(far.toString(), Timestamps.iso8601(far));
        }
    }

    @Test
    void localMillisIsTheWallClockOfTheZoneAcrossItsDaylightSavingChanges() {
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");
        for (String zone : new String[] {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
                "Australia/Lord_Howe", "Pacific/Chatham"}) {
            for (int i = 0; i < 5_000; i++) {
                long milli = someSecond() * 1000 + random.nextInt(1000);

                assertEquals(jdk.format(Instant.ofEpochMilli(milli).atZone(ZoneId.of(zone))),
                        Timestamps.appendLocalMillis(new StringBuilder(), milli, TimeZone.getTimeZone(zone)).toString(),
                        zone + " at " + milli);
            }
        }
    }
}
