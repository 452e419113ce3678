package dev.vigil.agent.api;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Every error the agent answers is a small JSON object {@code {"error": …, "message": …}}, never a trace. */
public final class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());
    static final String JSON = "application/json";

    private ApiErrors() {
    }

    static void send(ServerResponse response, Status status, String message) {
        response.status(status).header(HeaderNames.CONTENT_TYPE, JSON).send(body(status, message));
    }

    private static byte[] body(Status status, String message) {
        return new JsonWriter(128).beginObject()
                .name("error").value(status.reasonPhrase().toLowerCase().replace(' ', '_'))
                .name("message").value(message)
                .endObject().toBytes();
    }

    /**
     * True for the read token; otherwise the refusal is sent: 401 without a valid token, 403 for the action
     * token, which cannot read {@code what}.
     */
    static boolean readGranted(TokenAuth auth, ServerRequest request, ServerResponse response, String what) {
        switch (auth.grant(request)) {
            case NONE -> unauthorized(response);
            case ACTION -> send(response, Status.FORBIDDEN_403,
                    "the action token cannot read " + what + ": use the read token");
            case READ -> {
                return true;
            }
        }
        return false;
    }

    static void unauthorized(ServerResponse response) {
        response.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer"));
        send(response, Status.UNAUTHORIZED_401, "a valid bearer token is required");
    }

    /**
     * Registered after every service: no route matched is a JSON 404, and an unexpected failure is logged with
     * its trace and answered without it.
     */
    public static void register(HttpRouting.Builder routing) {
        routing.any((request, response) -> send(response, Status.NOT_FOUND_404,
                        "no such endpoint: " + request.prologue().method() + " " + request.path().path()))
                .error(Throwable.class, ApiErrors::unexpected);
    }

    /** Requests the server refuses before any route runs (malformed HTTP, a body over the server's limit). */
    public static DirectHandlers directHandlers() {
        DirectHandler handler = (request, event, status, headers, message) -> {
            String text = switch (status.code()) {
                case 400 -> "malformed HTTP request";
                case 413 -> "the body is too large";
                default -> status.code() >= 500 ? "the agent could not answer; its log says why" : status.reasonPhrase();
            };
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderNames.CONTENT_TYPE, JSON)
                    .keepAlive(event.keepAlive())
                    .entity(body(status, text))
                    .build();
        };
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
            handlers.addHandler(event, handler);
        }
        return handlers.build();
    }

    private static void unexpected(ServerRequest request, ServerResponse response, Throwable error) {
        LOG.log(Level.SEVERE, request.prologue().method() + " " + request.path().path() + " failed", error);
        if (!response.isSent()) {
            send(response, Status.INTERNAL_SERVER_ERROR_500, "the agent could not answer; its log says why");
        }
    }
}
