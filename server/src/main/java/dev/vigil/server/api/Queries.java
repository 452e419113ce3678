package dev.vigil.server.api;

import java.util.Optional;
import java.util.Set;

import io.helidon.webserver.http.ServerRequest;

/** Query parameters the list endpoints share: a state filter, a host filter, a limit. */
final class Queries {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5_000;

    private Queries() {
    }

    /** {@code name} when given, checked against the allowed values. */
    static Optional<String> oneOf(ServerRequest request, String name, Set<String> allowed) {
        Optional<String> value = request.query().first(name).asOptional();
        value.filter(v -> !allowed.contains(v)).ifPresent(v -> {
            throw ApiErrors.badRequest("\"" + name + "\" must be one of " + new java.util.TreeSet<>(allowed)
                    + ", not " + v);
        });
        return value;
    }

    static Optional<Long> host(ServerRequest request) {
        return request.query().first("host").asOptional().map(v -> number("host", v));
    }

    static int limit(ServerRequest request) {
        long limit = request.query().first("limit").asOptional().map(v -> number("limit", v)).orElse(
                (long) DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiErrors.badRequest("\"limit\" must be 1 to " + MAX_LIMIT);
        }
        return (int) limit;
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiErrors.badRequest("\"" + name + "\" must be a number, not " + value);
        }
    }
}
