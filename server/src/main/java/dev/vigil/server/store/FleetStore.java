package dev.vigil.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** The fleet summary's figures that live in the database, each an aggregate query (never one per host). */
public final class FleetStore {
    /**
     * @param critical               open (not resolved) incidents of severity critical
     * @param warning                and of severity warning
     * @param pendingApprovals       actions waiting for an approval
     * @param hostsInMaintenance     hosts in a maintenance window now, of their own or of their group
     * @param actionsByStatus        actions created since then, by their status now
     * @param medianRecoverySeconds  of the incidents recovered since then after a remediation succeeded
     */
    public record Counts(long critical, long warning, long pendingApprovals, long hostsInMaintenance,
                         Map<String, Long> actionsByStatus, Optional<Double> medianRecoverySeconds) {
    }

    private final DbClient db;

    public FleetStore(DbClient db) {
        this.db = db;
    }

    /** The counts now; actions and recoveries since {@code since}. */
    public Counts counts(Instant now, Instant since) {
        Timestamp at = Timestamp.from(now);
        DbRow row = db.execute().namedGet("select-fleet-counts", at, at).orElseThrow();
        Map<String, Long> byStatus = new TreeMap<>();
        db.execute().namedQuery("count-actions-by-status-since", Timestamp.from(since)).forEach(status ->
                byStatus.put(status.column("status").get(String.class), status.column("n").get(Long.class)));
        Optional<Double> median = db.execute().namedGet("select-median-recovery-since", Timestamp.from(since))
                .map(r -> r.column("median").get(Double.class));
        return new Counts(count(row, "critical"), count(row, "warning"), count(row, "pending"),
                count(row, "maintenance"), byStatus, median);
    }

    private static long count(DbRow row, String column) {
        return row.column(column).get(Long.class);
    }
}
