package dev.vigil.agent.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExchangeTest {
    @Test
    void theDateHeaderIsAnImfFixdateAtAnyInstant() {
        DateTimeFormatter imfFixdate = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
                .withZone(ZoneOffset.UTC);
        Random random = new Random(11);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 10_000; i++) {
            long second = now + random.nextLong(-(100L << 25), 100L << 25);

            assertEquals(imfFixdate.format(Instant.ofEpochSecond(second)), Exchange.httpDate(second));
        }
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", Exchange.httpDate(784111777), "RFC 9110's example");
    }
}
