package dev.vigil.server.store;

import java.time.Duration;
import java.util.Optional;

import io.helidon.dbclient.DbClient;

/**
 * Leases of roles that one process of the whole cluster plays at a time ({@code role_leases}, V13), such as the
 * Telegram bot's long poll: taken when free or expired, renewed by its holder, given up on release. Every time is
 * the database's {@code NOW(3)}, never a process's clock.
 */
public final class RoleLeaseStore {
    /** Who holds a role's lease now: {@code holder} empty when nobody does (never taken, released or expired). */
    public record Lease(Optional<String> holder) {
        public boolean heldBy(String claimant) {
            return holder.filter(claimant::equals).isPresent();
        }
    }

    private final DbClient db;

    public RoleLeaseStore(DbClient db) {
        this.db = db;
    }

    /** Takes or renews {@code role}'s lease for {@code claimant} for {@code ttl}, unless another holds it. */
    public Lease claim(String role, String claimant, Duration ttl) {
        db.execute().namedInsert("claim-role-lease", role, claimant, ttl.toNanos() / 1000);
        return current(role);
    }

    /** Gives {@code role}'s lease up, if {@code claimant} holds it. */
    public Lease release(String role, String claimant) {
        db.execute().namedUpdate("release-role-lease", role, claimant);
        return current(role);
    }

    private Lease current(String role) {
        return new Lease(db.execute().namedGet("select-role-lease", role)
                .filter(row -> row.column("live").get(Number.class).intValue() != 0)
                .map(row -> row.column("holder").get(String.class)));
    }
}
