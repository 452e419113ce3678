package dev.vigil.agent.api;

import java.io.IOException;

import dev.vigil.agent.http.Exchange;
import dev.vigil.agent.http.Handler;
import dev.vigil.agent.http.Http1Server;
import dev.vigil.agent.http.Status;

/** Every error the agent answers is a small JSON object {@code {"error": …, "message": …}}, never a trace. */
public final class ApiErrors {
    static final String JSON = "application/json";

    /** The server's own refusals (a malformed request, a body over its limit) and handler failures. */
    public static final Http1Server.ErrorBody BODY = new Http1Server.ErrorBody() {
        @Override
        public String contentType() {
            return JSON;
        }

        @Override
        public byte[] render(Status status, String message) {
            return body(status, message);
        }
    };

    /** What no route matched. */
    public static final Handler NOT_FOUND = exchange -> send(exchange, Status.NOT_FOUND_404,
            "no such endpoint: " + exchange.method() + " " + exchange.path());

    private ApiErrors() {
    }

    static void send(Exchange exchange, Status status, String message) throws IOException {
        exchange.send(status, JSON, body(status, message));
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
    static boolean readGranted(TokenAuth auth, Exchange exchange, String what) throws IOException {
        switch (auth.grant(exchange)) {
            case NONE -> unauthorized(exchange);
            case ACTION -> send(exchange, Status.FORBIDDEN_403,
                    "the action token cannot read " + what + ": use the read token");
            case READ -> {
                return true;
            }
        }
        return false;
    }

    static void unauthorized(Exchange exchange) throws IOException {
        exchange.header("WWW-Authenticate", "Bearer");
        send(exchange, Status.UNAUTHORIZED_401, "a valid bearer token is required");
    }
}
