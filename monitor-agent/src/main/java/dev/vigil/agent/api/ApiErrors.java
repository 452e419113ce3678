package dev.vigil.agent.api;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
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
        byte[] body = new JsonWriter(128).beginObject()
                .name("error").value(status.reasonPhrase().toLowerCase().replace(' ', '_'))
                .name("message").value(message)
                .endObject().toBytes();
        response.status(status).header(HeaderNames.CONTENT_TYPE, JSON).send(body);
    }

    static void unauthorized(ServerResponse response) {
        response.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer"));
        send(response, Status.UNAUTHORIZED_401, "a valid bearer token is required");
    }

    /** The last resort: an unexpected failure is logged with its trace and answered without it. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(Throwable.class, ApiErrors::unexpected);
    }

    private static void unexpected(ServerRequest request, ServerResponse response, Throwable error) {
        LOG.log(Level.SEVERE, request.prologue().method() + " " + request.path().path() + " failed", error);
        if (!response.isSent()) {
            send(response, Status.INTERNAL_SERVER_ERROR_500, "the agent could not answer; its log says why");
        }
    }
}
