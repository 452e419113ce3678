package dev.vigil.server.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Query parameters of time: instants as ISO-8601 or epoch milliseconds, steps as seconds or 30s/5m/1h/1d. */
final class TimeParams {
    private static final Pattern STEP = Pattern.compile("(\\d+)([smhd]?)");

    private TimeParams() {
    }

    static Optional<Instant> instant(String name, Optional<String> value) {
        return value.map(v -> {
            if (v.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw ApiErrors.badRequest("\"" + name + "\" must be ISO-8601 (2026-11-22T10:00:00Z) or epoch"
                        + " milliseconds, not " + v);
            }
        });
    }

    static Optional<Duration> step(Optional<String> value) {
        return value.map(v -> {
            Matcher m = STEP.matcher(v);
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw ApiErrors.badRequest("\"step\" must be seconds or a duration such as 30s, 5m, 1h, not " + v);
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        });
    }
}
