package dev.vigil.server.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

import dev.vigil.server.model.AgentSnapshot;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** The newest stored sample of each host, as its snapshot: what an instance knows of the hosts another one polls. */
public final class LatestSamples {
    private static final Logger LOG = Logger.getLogger(LatestSamples.class.getName());

    /** A host's newest stored snapshot and when the server that polled it received it. */
    public record Latest(AgentSnapshot snapshot, Instant receivedAt) {
    }

    private final DbClient db;

    public LatestSamples(DbClient db) {
        this.db = db;
    }

    /** Per host, its newest sample collected since {@code since} (hosts without one are absent). */
    public Map<Long, Latest> since(Instant since) {
        Map<Long, Latest> latest = new HashMap<>();
        db.execute().namedQuery("select-latest-samples", Timestamp.from(since)).forEach(row -> {
            byte[] detail = row.column("detail").get(byte[].class);
            if (detail == null) {
                return; // dropped during an outage: the headline alone is no snapshot
            }
            try {
                latest.put(row.column("host_id").get(Long.class), new Latest(AgentSnapshot.parse(gunzip(detail)),
                        received(row)));
            } catch (AgentSnapshot.BadPayload e) {
                LOG.warning("The stored sample of host " + row.column("host_id").get(Long.class)
                        + " is no snapshot: " + e.getMessage());
            }
        });
        return latest;
    }

    private static Instant received(DbRow row) {
        return row.column("received_at").get(Timestamp.class).toInstant();
    }

    private static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("a stored sample's detail is not gzip", e);
        }
    }
}
