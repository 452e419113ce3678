-- Remediation (act stage). An action remembers the incident it addresses, how often it was sent and when it
-- finished; an incident remembers its latest remediation and, once the rules saw the condition clear, the time
-- from detection to recovery (the MTTR data).
ALTER TABLE actions
    ADD COLUMN incident_id   BIGINT       NULL,
    ADD COLUMN attempts      INT          NOT NULL DEFAULT 0,
    ADD COLUMN dispatched_at TIMESTAMP(3) NULL,
    ADD COLUMN finished_at   TIMESTAMP(3) NULL,
    ADD INDEX actions_incident (incident_id);

ALTER TABLE incidents
    ADD COLUMN action_id        CHAR(36)     NULL,
    ADD COLUMN action_status    VARCHAR(32)  NULL,
    ADD COLUMN remediated_at    TIMESTAMP(3) NULL,
    ADD COLUMN recovery_seconds DOUBLE       NULL;

-- An action's trail (proposed, verdict, dispatched, outcome) is read by subject.
ALTER TABLE audit ADD INDEX audit_subject (subject, id);
