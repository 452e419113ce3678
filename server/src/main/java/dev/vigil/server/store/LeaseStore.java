package dev.vigil.server.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

/**
 * The database side of replicas (docs/scaling.md): each instance's heartbeat ({@code server_instances}) and the
 * host leases ({@code host_leases}). Every time is the database's {@code NOW(3)}, never an instance's clock.
 */
public final class LeaseStore {
    private final DbClient db;

    public LeaseStore(DbClient db) {
        this.db = db;
    }

    /**
     * Keeps {@code instance} alive for {@code ttl} and frees the leases of instances whose heartbeat expired (a
     * heartbeat and the leases lapse together, so a dead instance's hosts are free as soon as either does); answers
     * how many instances are alive now, itself included.
     */
    public long heartbeat(String instance, Duration ttl) {
        long micros = micros(ttl);
        db.execute().namedInsert("heartbeat-instance", instance, micros, micros);
        db.execute().namedUpdate("free-leases-of-dead-instances");
        return db.execute().namedGet("count-live-instances").map(row -> row.column("live").get(Long.class))
                .orElse(1L);
    }

    /** Gives every host a lease row (free) and answers how many hosts there are. */
    public long hostsWithLeases() {
        db.execute().namedInsert("insert-missing-leases");
        return db.execute().namedGet("count-leases").map(row -> row.column("hosts").get(Long.class)).orElse(0L);
    }

    /** Renews every lease {@code instance} still holds and answers which hosts those are. */
    public Set<Long> renew(String instance, Duration ttl) {
        db.execute().namedUpdate("renew-leases", micros(ttl), instance);
        return db.execute().namedQuery("select-owned-hosts", instance)
                .map(row -> row.column("host_id").get(Long.class)).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Claims up to {@code most} free leases (never owned, or expired) for {@code instance}, in one transaction: rows
     * another instance is claiming at the same moment are skipped ({@code SKIP LOCKED}), so no two claim one host.
     */
    public List<Long> claim(String instance, Duration ttl, long most) {
        DbTransaction tx = db.transaction();
        try {
            List<Long> free = tx.namedQuery("select-free-leases", most)
                    .map(row -> row.column("host_id").get(Long.class)).toList();
            long micros = micros(ttl);
            for (long hostId : free) {
                tx.namedUpdate("claim-lease", instance, micros, hostId);
            }
            tx.commit();
            return free;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /** Claims the lease of a host just registered here, unless a round (of any instance) gave it a lease already. */
    public boolean claimNew(long hostId, String instance, Duration ttl) {
        return db.execute().namedInsert("claim-new-lease", hostId, instance, micros(ttl)) == 1;
    }

    /** Gives the host's lease up, if {@code instance} still holds it. */
    public void release(long hostId, String instance) {
        db.execute().namedUpdate("release-lease", hostId, instance);
    }

    /** A clean stop: every lease of {@code instance} is free at once and it no longer counts as alive. */
    public void leave(String instance) {
        db.execute().namedUpdate("release-leases", instance);
        db.execute().namedDelete("delete-instance", instance);
        db.execute().namedDelete("forget-dead-instances");
    }

    /** How many hosts each instance holds an unexpired lease of. */
    public Map<String, Long> owners() {
        Map<String, Long> owners = new LinkedHashMap<>();
        db.execute().namedQuery("select-lease-owners").forEach(row -> owners.put(
                row.column("owner").get(String.class), row.column("hosts").get(Long.class)));
        return owners;
    }

    private static long micros(Duration ttl) {
        return ttl.toNanos() / 1000;
    }
}
