package dev.vigil.agent.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.logging.Logger;

import dev.vigil.agent.events.EventLog;
import dev.vigil.agent.events.EventStream;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/v1/events}: the event log as Server-Sent Events, for the read token. The handler runs on the
 * connection's virtual thread and writes the stream into the response body until the client goes.
 */
public final class EventsService implements HttpService {
    private static final Logger LOG = Logger.getLogger(EventsService.class.getName());
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    private final TokenAuth auth;
    private final EventLog events;

    public EventsService(TokenAuth auth, EventLog events) {
        this.auth = auth;
        this.events = events;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/v1/events", this::stream);
    }

    private void stream(ServerRequest request, ServerResponse response) {
        if (!ApiErrors.readGranted(auth, request, response, "events")) {
            return;
        }
        EventStream stream;
        try {
            stream = events.open(request.headers().first(LAST_EVENT_ID));
        } catch (EventLog.TooManyStreams e) {
            ApiErrors.send(response, Status.SERVICE_UNAVAILABLE_503, e.getMessage());
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "text/event-stream")
                .header(HeaderNames.CACHE_CONTROL, "no-store");
        try (stream; OutputStream body = response.outputStream()) {
            stream.writeTo(body);
        } catch (IOException | UncheckedIOException e) {
            LOG.fine(() -> "An event stream ended: " + e);
        }
    }
}
