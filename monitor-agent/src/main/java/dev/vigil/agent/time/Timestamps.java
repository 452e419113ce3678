package dev.vigil.agent.time;

import java.time.Instant;
import java.util.TimeZone;

/**
 * The agent's three ways of writing a point in time, by hand: {@code java.time}'s calendar classes reach
 * {@code java.time.Year}, whose formatter loads 50 classes and the JDK's locale data, a megabyte of the agent's
 * memory (docs/performance.md). Each gives exactly what the JDK's formatter gives; TimestampsTest compares them.
 */
public final class Timestamps {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final long SECONDS_PER_DAY = 86_400;

    private Timestamps() {
    }

    /** A proleptic Gregorian date and time of day. */
    private record Civil(long year, int month, int day, int dayOfWeek, int hour, int minute, int second) {
        /** Howard Hinnant's {@code civil_from_days}; {@code dayOfWeek} 0 is Monday. */
        static Civil of(long epochSecond) {
            long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
            int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long dayOfEra = z - era * 146_097;
            long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
            long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            long shiftedMonth = (5 * dayOfYear + 2) / 153;
            int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
            int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
            long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
            return new Civil(year, month, day, (int) Math.floorMod(days + 3, 7), secondOfDay / 3600,
                    secondOfDay / 60 % 60, secondOfDay % 60);
        }

        boolean hasFourDigitYear() {
            return year >= 1000 && year <= 9999;
        }

        /** {@code yyyy-MM-ddTHH:mm:ss} */
        StringBuilder appendDateTime(StringBuilder out) {
            out.append(year).append('-');
            digits(out, month, 2).append('-');
            digits(out, day, 2).append('T');
            digits(out, hour, 2).append(':');
            digits(out, minute, 2).append(':');
            return digits(out, second, 2);
        }
    }

    /** RFC 9110's IMF-fixdate for the HTTP {@code Date} header: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String imfFixdate(long epochSecond) {
        Civil time = Civil.of(epochSecond);
        StringBuilder date = new StringBuilder(29).append(DAYS[time.dayOfWeek()]).append(", ");
        digits(date, time.day(), 2).append(' ').append(MONTHS[time.month() - 1]).append(' ');
        digits(date, time.year(), 4).append(' ');
        digits(date, time.hour(), 2).append(':');
        digits(date, time.minute(), 2).append(':');
        return digits(date, time.second(), 2).append(" GMT").toString();
    }

    /** {@link Instant#toString()}: ISO-8601 in UTC, the fraction in groups of three digits, none when zero. */
    public static String iso8601(Instant at) {
        Civil time = Civil.of(at.getEpochSecond());
        if (!time.hasFourDigitYear()) {
            return at.toString();
        }
        StringBuilder text = time.appendDateTime(new StringBuilder(30));
        int nano = at.getNano();
        if (nano != 0) {
            text.append('.');
            if (nano % 1_000_000 == 0) {
                digits(text, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(text, nano / 1_000, 6);
            } else {
                digits(text, nano, 9);
            }
        }
        return text.append('Z').toString();
    }

    /** Local time to the millisecond, {@code 2026-12-01T05:30:00.123}, for log lines. */
    public static StringBuilder appendLocalMillis(StringBuilder out, long epochMilli, TimeZone zone) {
        long local = epochMilli + zone.getOffset(epochMilli);
        Civil time = Civil.of(Math.floorDiv(local, 1000));
        time.appendDateTime(out).append('.');
        return digits(out, Math.floorMod(local, 1000), 3);
    }

    private static StringBuilder digits(StringBuilder out, long value, int width) {
        String number = Long.toString(value);
        return out.repeat('0', width - number.length()).append(number);
    }
}
