package dev.vigil.agent.api;

import java.io.IOException;
import java.util.logging.Logger;

import dev.vigil.agent.events.EventLog;
import dev.vigil.agent.events.EventStream;
import dev.vigil.agent.http.Exchange;
import dev.vigil.agent.http.Resource;
import dev.vigil.agent.http.Routes;
import dev.vigil.agent.http.Status;

/**
 * {@code GET /api/v1/events}: the event log as Server-Sent Events, for the read token. The handler runs on the
 * connection's virtual thread and writes the stream into the chunked body until the client goes or the stream
 * ends; then the connection is closed.
 */
public final class EventsService implements Resource {
    private static final Logger LOG = Logger.getLogger(EventsService.class.getName());

    private final TokenAuth auth;
    private final EventLog events;

    public EventsService(TokenAuth auth, EventLog events) {
        this.auth = auth;
        this.events = events;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/api/v1/events", this::stream);
    }

    private void stream(Exchange exchange) throws IOException {
        if (!ApiErrors.readGranted(auth, exchange, "events")) {
            return;
        }
        EventStream stream;
        try {
            stream = events.open(exchange.header("Last-Event-ID"));
        } catch (EventLog.TooManyStreams e) {
            ApiErrors.send(exchange, Status.SERVICE_UNAVAILABLE_503, e.getMessage());
            return;
        }
        try (stream) {
            stream.writeTo(exchange.header("Cache-Control", "no-store").stream(Status.OK_200, "text/event-stream"));
        } catch (IOException e) {
            LOG.fine(() -> "An event stream's client is gone: " + e);
        }
        // Ended (cut as too slow, or the agent is stopping) or gone: nothing more is written to this client, whose
        // reads may have stalled; it finds the connection's end and may come back with Last-Event-ID.
        exchange.closeConnection();
    }
}
