package dev.vigil.server.store;

/**
 * The settings an admin changes at run time (GET/PUT /api/v1/settings), as stored.
 *
 * @param retentionDays       days of samples kept, {@link Retention#MIN_DAYS}–{@link Retention#MAX_DAYS}
 * @param dryRun              the global dry run: decide and record, never act
 * @param pollIntervalSeconds the poll interval of hosts without one of their own,
 *                            {@link Host#MIN_INTERVAL_SECONDS}–{@link Host#MAX_INTERVAL_SECONDS}
 */
public record StoredSettings(int retentionDays, boolean dryRun, int pollIntervalSeconds) {
}
