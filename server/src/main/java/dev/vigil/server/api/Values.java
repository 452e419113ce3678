package dev.vigil.server.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * What a value of the API may be, for both readers of input ({@link Queries} for query parameters,
 * {@link JsonBodies} for bodies): whole numbers in their field's range — compared before they are converted, so
 * none ever wraps —, times in the years 1970–9999 (so no arithmetic on them can overflow, and every one fits the
 * database), and text without control characters. Each refusal is a 400 that names the field.
 */
final class Values {
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]+");
    private static final String TIME = "ISO-8601 (2026-11-22T10:00:00Z) or epoch milliseconds";

    private Values() {
    }

    /** Decimal digits, optionally negative, as a whole number from {@code min} to {@code max}. */
    static long whole(String name, String text, long min, long max) {
        if (!WHOLE.matcher(text).matches()) {
            throw ApiErrors.badRequest(quoted(name) + " must be a whole number " + range(min, max) + ", not "
                    + ApiErrors.shown(text));
        }
        return whole(name, new BigDecimal(text), min, max);
    }

    /** A number as a whole number from {@code min} to {@code max}: out of range or with a fraction is a 400. */
    static long whole(String name, BigDecimal value, long min, long max) {
        // compareTo looks at the exponents first, so even 1e1000000000 is refused without being expanded
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiErrors.badRequest(quoted(name) + " must be a whole number " + range(min, max));
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException fraction) {
            throw ApiErrors.badRequest(quoted(name) + " must be a whole number " + range(min, max) + ", not "
                    + value.toPlainString());
        }
    }

    /** A number from {@code min} to {@code max}, so always finite: 1e400 never becomes Infinity. */
    static double decimal(String name, BigDecimal value, double min, double max) {
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiErrors.badRequest(quoted(name) + " must be a number from " + BigDecimal.valueOf(min)
                    .toPlainString() + " to " + BigDecimal.valueOf(max).toPlainString());
        }
        return value.doubleValue();
    }

    /** A time as ISO-8601 or epoch milliseconds, in the years 1970–9999. */
    static Instant instant(String name, String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return epochMillis(name, new BigDecimal(text));
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiErrors.badRequest(quoted(name) + " must be " + TIME + ", not " + ApiErrors.shown(text));
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw outOfYears(name);
        }
        return instant;
    }

    /** Epoch milliseconds as a time in the years 1970–9999. */
    static Instant epochMillis(String name, BigDecimal millis) {
        if (millis.compareTo(BigDecimal.ZERO) < 0 || millis.compareTo(BigDecimal.valueOf(LATEST.toEpochMilli())) > 0) {
            throw outOfYears(name);
        }
        return Instant.ofEpochMilli(whole(name, millis, 0, LATEST.toEpochMilli()));
    }

    private static ApiErrors.Refusal outOfYears(String name) {
        return ApiErrors.badRequest(quoted(name) + " must be " + TIME + " in the years 1970 to 9999");
    }

    /**
     * Text of at most {@code max} characters with no control character — but tab, CR and LF where
     * {@code lines} — and no half of a surrogate pair (which no database column could hold).
     */
    static String text(String name, String value, int max, boolean lines) {
        if (value.length() > max) {
            throw ApiErrors.badRequest(quoted(name) + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiErrors.badRequest(quoted(name) + " is not valid Unicode text (half of a surrogate pair)");
            } else if (Character.getType(c) == Character.CONTROL && !(lines && (c == '\t' || c == '\n' || c == '\r'))) {
                throw ApiErrors.badRequest(quoted(name) + " must not hold control characters (it has U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        return value;
    }

    static String quoted(String name) {
        return "\"" + name + "\"";
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "from " + min + " up" : "from " + min + " to " + max;
    }
}
