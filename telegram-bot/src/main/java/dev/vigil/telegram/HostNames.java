package dev.vigil.telegram;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

/**
 * Host names by id, from {@code GET /api/v1/hosts}: fetched once, again when an unknown id comes up (a host added
 * since) — at most every {@link #REFRESH_GAP}, so a deleted host's id does not hammer the server.
 */
final class HostNames {
    private static final Logger LOG = Logger.getLogger(HostNames.class.getName());
    private static final Duration REFRESH_GAP = Duration.ofSeconds(30);

    private final Supplier<JsonValue> hosts;
    private final InstantSource clock;
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private Instant fetchedAt = Instant.MIN;

    /** Names from the server's hosts list. */
    HostNames(ServerApi api) {
        this(() -> api.get("/api/v1/hosts"), InstantSource.system());
    }

    HostNames(Supplier<JsonValue> hosts, InstantSource clock) {
        this.hosts = hosts;
        this.clock = clock;
    }

    /** The host's name (raw: the caller escapes it), or {@code host <id>} when the server does not know it. */
    synchronized String name(long hostId) {
        if (!names.containsKey(hostId) && !clock.instant().isBefore(fetchedAt.plus(REFRESH_GAP))) {
            fetchedAt = clock.instant();
            try {
                if (hosts.get() instanceof JsonArray list) {
                    list.forEach(host -> names.put(host.asJsonObject().getJsonNumber("id").longValue(),
                            host.asJsonObject().getString("name", "")));
                }
            } catch (ServerApi.Failure e) {
                LOG.warning(() -> "Cannot read the host names: " + e.getMessage());
            }
        }
        return names.getOrDefault(hostId, "host " + hostId);
    }
}
