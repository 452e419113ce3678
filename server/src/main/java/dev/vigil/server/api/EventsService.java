package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

import dev.vigil.server.events.Event;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.events.HostChange;
import dev.vigil.server.events.RulesLoaded;
import dev.vigil.server.events.SampleSummaries;
import dev.vigil.server.store.Action;
import dev.vigil.server.store.Incident;
import dev.vigil.server.store.StoredSettings;
import dev.vigil.server.store.TelegramStore;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code GET /api/v1/events}: Server-Sent Events from the event bus, one {@code event:} per type with the record
 * as JSON {@code data:}, as the routes show it. A client that connects without {@code Last-Event-ID} gets the events
 * from then on; one that reconnects with it gets what it missed (of the last 1,000), or a {@code reset} event when
 * that is more than the server still has (see {@link EventBus}). A comment line every 15 s keeps proxies from closing a quiet stream; a client that
 * reads too slowly to keep up is disconnected and can reconnect; {@code server_stopping} ends every stream.
 */
public final class EventsService implements Access.Resource {
    private static final Logger LOG = Logger.getLogger(EventsService.class.getName());
    private static final int QUEUED_PER_CLIENT = 1000;
    private static final long HEARTBEAT_SECONDS = 15;
    /** Stands for "the client fell behind" in its queue. */
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final Event OVERFLOW = new Event(-1, "overflow", Instant.EPOCH, "");

    private final EventBus events;

    public EventsService(EventBus events) {
        this.events = events;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/events", Role.VIEWER, this::stream);
    }

    private void stream(ServerRequest request, ServerResponse response) throws Exception {
        Optional<Long> lastSeen = request.headers().first(LAST_EVENT_ID).map(EventsService::eventId);
        BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUED_PER_CLIENT + 1);
        response.status(Status.OK_200)
                .header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache");
        Consumer<Event> enqueue = event -> {
            if (!queue.offer(event)) {
                queue.clear();
                queue.offer(OVERFLOW);
            }
        };
        try (AutoCloseable subscription = lastSeen.isPresent() ? events.subscribeAfter(lastSeen.get(), enqueue)
                : events.subscribe(enqueue); OutputStream out = response.outputStream()) {
            write(out, ": connected\n\n");
            while (true) {
                Event event = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (event == null) {
                    write(out, ": keep-alive\n\n");
                } else if (event == OVERFLOW) {
                    write(out, "event: overflow\ndata: {\"error\":\"the client fell behind; reconnect\"}\n\n");
                    LOG.info("An event stream client fell more than " + QUEUED_PER_CLIENT + " events behind;"
                            + " disconnected");
                    return;
                } else {
                    write(out, "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + event.data() + "\n\n");
                    if (event.type().equals(EventBus.STOPPING)) {
                        return;
                    }
                }
            }
        } catch (UncheckedIOException | IOException gone) {
            LOG.fine("An event stream client went away: " + gone.getMessage());
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** An event's subject as clients get it: the JSON the routes show, with the time of the event. */
    public static String json(String type, Instant at, Object subject) {
        JsonObject json = switch (subject) {
            case Action action -> ActionsService.json(action);
            case Incident incident -> IncidentsService.json(incident);
            case HostChange change -> JSON.createObjectBuilder().add("host_id", change.hostId())
                    .add("status", change.status()).add("reason", change.reason()).build();
            case SampleSummaries.Batch batch -> {
                JsonArrayBuilder samples = JSON.createArrayBuilder();
                batch.samples().forEach(summary -> samples.add(FleetService.numbers(
                        JSON.createObjectBuilder().add("host_id", summary.hostId()), summary)));
                yield JSON.createObjectBuilder().add("samples", samples).build();
            }
            case RulesLoaded loaded -> JSON.createObjectBuilder().add("files", JSON.createArrayBuilder(loaded.files()))
                    .add("rules", loaded.rules()).build();
            case StoredSettings settings -> SettingsService.json(settings);
            case TelegramStore.Change change -> TelegramService.json(change);
            case TelegramService.Report report -> TelegramService.json(report);
            case TelegramService.Request asked -> TelegramService.json(asked);
            case EventBus.Reset reset -> JSON.createObjectBuilder().add("reason", reset.reason()).build();
            default -> JSON.createObjectBuilder().add("value", String.valueOf(subject)).build();
        };
        return JSON.createObjectBuilder(json).add("event_at", at.toString()).build().toString();
    }

    /** An id that no event has (-1) when the header is not one of ours: the client then gets a reset. */
    private static long eventId(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
