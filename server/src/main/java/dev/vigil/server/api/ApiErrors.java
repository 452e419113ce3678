package dev.vigil.server.api;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;

/** Every refusal of the server's API is {@code {"error": …, "message": …}} with the right status, never a trace. */
public final class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());
    static final String JSON = "application/json";

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
        response.status(status).header(HeaderNames.CONTENT_TYPE, JSON).send(body(status, message));
    }

    private static byte[] body(Status status, String message) {
        return Json.createObjectBuilder()
                .add("error", status.reasonPhrase().toLowerCase().replace(' ', '_'))
                .add("message", message)
                .build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** After all services: unmatched routes are a JSON 404, refusals answer themselves, the rest is a logged 500. */
    public static void register(HttpRouting.Builder routing) {
        routing.any((request, response) -> send(response, Status.NOT_FOUND_404,
                        "no such endpoint: " + request.prologue().method() + " " + request.path().path()))
                .error(Refusal.class, (request, response, refusal) -> send(response, refusal.status(), refusal.getMessage()))
                .error(Throwable.class, ApiErrors::unexpected);
    }

    private static void unexpected(ServerRequest request, ServerResponse response, Throwable error) {
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
                .header(HeaderNames.CONTENT_TYPE, JSON)
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
