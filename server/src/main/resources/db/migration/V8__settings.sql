-- The settings an admin changes at run time (GET/PUT /api/v1/settings): one row. A value that is NULL is not
-- stored yet: the start fills it in from the environment (VIGIL_RETENTION_DAYS, VIGIL_DRY_RUN,
-- VIGIL_POLL_INTERVAL); once stored, the stored value wins.
CREATE TABLE settings (
    id                    TINYINT      NOT NULL PRIMARY KEY,
    retention_days        INT          NULL,
    dry_run               TINYINT      NULL,
    poll_interval_seconds INT          NULL,
    updated_at            TIMESTAMP(3) NULL,
    updated_by            VARCHAR(255) NULL,
    CONSTRAINT settings_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A host without an interval of its own (NULL) is polled at the settings' poll interval. Hosts registered before
-- keep the interval they have as their own.
ALTER TABLE hosts MODIFY interval_seconds INT NULL DEFAULT NULL;

-- The fleet summary's median recovery reads the incidents resolved in the last 24 hours.
CREATE INDEX incidents_resolved ON incidents (resolved_at);
