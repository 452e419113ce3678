package dev.vigil.server.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import dev.vigil.settings.Durations;
import io.helidon.webserver.http.ServerRequest;

/**
 * The one reader of query parameters. A parameter left out takes its default; one that is given must hold a
 * value ({@code ?from=} is a 400 naming {@code from}) of its kind — text without control characters, one of
 * the allowed words, a whole number in range, a time ({@link Values#instant}), a step of at most 366 days.
 * Which parameters a route takes is declared in the routing table ({@link Access.Input}); any other is refused
 * before its handler runs.
 */
final class Queries {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5_000;
    static final int MAX_TEXT = 255;
    static final Duration MAX_STEP = Duration.ofDays(366);

    private Queries() {
    }

    /** The parameter's value, stripped, when given: not empty, at most 255 characters, no control character. */
    static Optional<String> text(ServerRequest request, String name) {
        return request.query().first(name).asOptional().map(value -> {
            if (value.isBlank()) {
                throw ApiErrors.badRequest(Values.quoted(name) + " is empty: give it a value or leave it out");
            }
            return Values.text(name, value, MAX_TEXT, false).strip();
        });
    }

    /** {@code name} when given, checked against the allowed values. */
    static Optional<String> oneOf(ServerRequest request, String name, Set<String> allowed) {
        Optional<String> value = text(request, name);
        value.filter(v -> !allowed.contains(v)).ifPresent(v -> {
            throw ApiErrors.badRequest(Values.quoted(name) + " must be one of " + new TreeSet<>(allowed) + ", not "
                    + ApiErrors.shown(v));
        });
        return value;
    }

    /** {@code true} or {@code false}; left out is false. */
    static boolean flag(ServerRequest request, String name) {
        return oneOf(request, name, Set.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
    }

    /** An object's id, such as {@code host}: a whole number from 1 up. */
    static Optional<Long> id(ServerRequest request, String name) {
        return text(request, name).map(value -> Values.whole(name, value, 1, Long.MAX_VALUE));
    }

    static int limit(ServerRequest request) {
        return text(request, "limit").map(value -> (int) Values.whole("limit", value, 1, MAX_LIMIT))
                .orElse(DEFAULT_LIMIT);
    }

    /** A time range: {@code [from, to)}. */
    record Range(Instant from, Instant to) {
    }

    /**
     * {@code from} and {@code to}: {@code to} defaults to now, {@code from} to {@code span} before {@code to};
     * {@code from} must be before {@code to}.
     */
    static Range range(ServerRequest request, Instant now, Duration span) {
        Instant to = instant(request, "to").orElse(now);
        Instant from = instant(request, "from").orElseGet(() -> to.minus(span));
        ordered(from, to);
        return new Range(from, to);
    }

    static Optional<Instant> instant(ServerRequest request, String name) {
        return text(request, name).map(value -> Values.instant(name, value));
    }

    /** {@code from} and {@code to} when given, refused (400) when both are and {@code from} is not before {@code to}. */
    static Period period(ServerRequest request) {
        Period period = new Period(instant(request, "from"), instant(request, "to"));
        if (period.from().isPresent() && period.to().isPresent()) {
            ordered(period.from().get(), period.to().get());
        }
        return period;
    }

    /** A time range from the query, either end open. */
    record Period(Optional<Instant> from, Optional<Instant> to) {
    }

    static void ordered(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiErrors.badRequest("\"from\" must be before \"to\"");
        }
    }

    /** Seconds, or a duration ({@link Durations}: 30s, 5m, 1h, 1d): whole seconds, from 1 s to {@link #MAX_STEP}. */
    static Optional<Duration> step(ServerRequest request, String name) {
        return text(request, name).map(value -> Durations.parse(value.chars().allMatch(c -> c >= '0' && c <= '9')
                        ? value + "s" : value)
                .filter(step -> step.toMillis() % 1000 == 0 && step.compareTo(Duration.ofSeconds(1)) >= 0
                        && step.compareTo(MAX_STEP) <= 0)
                .orElseThrow(() -> ApiErrors.badRequest(Values.quoted(name) + " must be seconds or a duration such as"
                        + " 30s, 5m, 1h, 1d, from 1 s to " + MAX_STEP.toDays() + " days, not "
                        + ApiErrors.shown(value))));
    }
}
