package dev.vigil.server.api;

import java.util.SortedSet;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.server.store.Database;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import static dev.vigil.server.store.Jsons.JSON;

/** Every refusal of the server's API is {@code {"error": …, "message": …}} with the right status, never a trace. */
public final class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());
    static final String JSON_TYPE = "application/json";

    /** A request the API refuses, with the status and the message the caller gets. */
    public static final class Refusal extends RuntimeException {
        private final Status status;

        public Refusal(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        Status status() {
            return status;
        }
    }

    private ApiErrors() {
    }

    static Refusal badRequest(String message) {
        return new Refusal(Status.BAD_REQUEST_400, message);
    }

    static Refusal notFound(String message) {
        return new Refusal(Status.NOT_FOUND_404, message);
    }

    static void send(ServerResponse response, Status status, String message) {
        response.status(status).header(HeaderNames.CONTENT_TYPE, JSON_TYPE).send(body(status, message));
    }

    /**
     * A value the caller sent, for a message: at most 40 characters, control characters written as
     * {@code \\uXXXX}, so that no refusal carries a caller's line break or megabyte into a log or the audit.
     */
    static String shown(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(40).forEach(c -> {
            if (Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.SURROGATE) {
                shown.append(String.format("\\u%04X", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > 40 ? shown + "…" : shown.toString();
    }

    private static byte[] body(Status status, String message) {
        return JSON.createObjectBuilder()
                .add("error", status.reasonPhrase().toLowerCase().replace(' ', '_'))
                .add("message", message)
                .build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * After all services: a path of the routing table asked with another method is 405 with {@code Allow}
     * (OPTIONS: 204 with {@code Allow}), any other path a JSON 404; refusals answer themselves, the rest is a
     * logged 500. HEAD is not routed (Helidon 4.1.7 would write a GET handler's body), so it is a 405 too —
     * answered, like every HEAD, without a body.
     */
    public static void register(HttpRouting.Builder routing, Access access) {
        routing.any((request, response) -> unrouted(request, response, access.allowed(request.path())))
                .error(Refusal.class, (request, response, refusal) -> send(response, refusal.status(), refusal.getMessage()))
                .error(Throwable.class, ApiErrors::unexpected);
    }

    private static void unrouted(ServerRequest request, ServerResponse response, SortedSet<String> allowed) {
        Method method = request.prologue().method();
        String call = method.text() + " " + request.path().path();
        if (allowed.isEmpty()) {
            answer(request, response, Status.NOT_FOUND_404, "no such endpoint: " + call);
            return;
        }
        response.header(HeaderNames.ALLOW, String.join(", ", allowed));
        if (method == Method.OPTIONS) {
            response.status(Status.NO_CONTENT_204).send();
        } else {
            answer(request, response, Status.METHOD_NOT_ALLOWED_405, call + " is not a route; "
                    + request.path().path() + " takes " + String.join(", ", allowed));
        }
    }

    /** The JSON refusal, or for HEAD its status and headers only: a HEAD answer has no body. */
    private static void answer(ServerRequest request, ServerResponse response, Status status, String message) {
        if (request.prologue().method() == Method.HEAD) {
            response.status(status).send();
        } else {
            send(response, status, message);
        }
    }

    private static void unexpected(ServerRequest request, ServerResponse response, Throwable error) {
        if (Database.connectionLost(error)) {
            LOG.warning(request.prologue().method() + " " + request.path().path() + " answered 503: the database"
                    + " does not answer (" + error.getMessage() + ")");
            if (!response.isSent()) {
                send(response, Status.SERVICE_UNAVAILABLE_503, "the database does not answer; try again shortly");
            }
            return;
        }
        LOG.log(Level.SEVERE, request.prologue().method() + " " + request.path().path() + " failed", error);
        if (!response.isSent()) {
            send(response, Status.INTERNAL_SERVER_ERROR_500, "the server could not answer; its log says why");
        }
    }

    /** Requests refused before any route runs: malformed HTTP, a body over the server's limit. */
    public static DirectHandlers directHandlers() {
        DirectHandler handler = (request, event, status, headers, message) -> DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, JSON_TYPE)
                .keepAlive(event.keepAlive())
                .entity(body(status, switch (status.code()) {
                    case 400 -> "malformed HTTP request";
                    case 413 -> "the body is too large";
                    default -> status.code() >= 500 ? "the server could not answer; its log says why"
                            : status.reasonPhrase();
                }))
                .build();
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
            handlers.addHandler(event, handler);
        }
        return handlers.build();
    }
}
