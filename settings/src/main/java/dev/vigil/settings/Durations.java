package dev.vigil.settings;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations Vigil accepts, in its settings and in its API: {@code 500ms}, {@code 2s}, {@code 10m}, {@code 8h},
 * {@code 7d} and ISO-8601.
 */
public final class Durations {
    private static final Pattern SHORT_FORM = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    /** Largest first: a bound is shown in the largest unit that holds it whole. */
    private static final List<Unit> UNITS = List.of(new Unit("d", Duration.ofDays(1)),
            new Unit("h", Duration.ofHours(1)), new Unit("m", Duration.ofMinutes(1)),
            new Unit("s", Duration.ofSeconds(1)), new Unit("ms", Duration.ofMillis(1)));

    private record Unit(String suffix, Duration size) {
    }

    private Durations() {
    }

    /** Empty when the text is no duration, or one too long for {@link Duration} to hold. */
    public static Optional<Duration> parse(String text) {
        Matcher shortForm = SHORT_FORM.matcher(text.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            Duration unit = UNITS.stream().filter(u -> u.suffix().equals(shortForm.group(2))).findFirst()
                    .orElseThrow().size();
            BigInteger millis = new BigInteger(shortForm.group(1)).multiply(BigInteger.valueOf(unit.toMillis()));
            return millis.bitLength() < Long.SIZE ? Optional.of(Duration.ofMillis(millis.longValue()))
                    : Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException notIso) { // overflow included: Duration reports it the same way
            return Optional.empty();
        }
    }

    /** In the short form of the largest unit that holds it whole: {@code 7d}, {@code 90m}, {@code 500ms}. */
    static String format(Duration duration) {
        for (Unit unit : UNITS) {
            if (duration.toNanos() % unit.size().toNanos() == 0) {
                return duration.dividedBy(unit.size()) + unit.suffix();
            }
        }
        return duration.toString();
    }
}
