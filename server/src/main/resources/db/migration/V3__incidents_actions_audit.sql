-- What the rules decided. An incident is one (host, key) condition from opening to resolution; while it is not
-- resolved, open_key holds "<host id>:<key>" so that a second open incident of the same key cannot exist.
CREATE TABLE incidents (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    host_id         BIGINT        NOT NULL,
    incident_key    VARCHAR(300)  NOT NULL,
    kind            VARCHAR(64)   NOT NULL,
    subject         VARCHAR(255)  NOT NULL,
    severity        VARCHAR(16)   NOT NULL,
    message         VARCHAR(1000) NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    occurrences     INT           NOT NULL DEFAULT 1,
    first_seen      TIMESTAMP(3)  NOT NULL,
    last_seen       TIMESTAMP(3)  NOT NULL,
    acknowledged_by VARCHAR(255)  NULL,
    resolved_at     TIMESTAMP(3)  NULL,
    resolved_by     VARCHAR(255)  NULL,
    open_key        VARCHAR(330)  NULL,
    CONSTRAINT incidents_open_key_unique UNIQUE (open_key),
    INDEX incidents_state (state, last_seen),
    INDEX incidents_host (host_id, first_seen)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Remediations and what the gate made of them. The id (a UUID) exists before anything is dispatched.
CREATE TABLE actions (
    id           CHAR(36)      NOT NULL PRIMARY KEY,
    host_id      BIGINT        NOT NULL,
    type         VARCHAR(32)   NOT NULL,
    target       VARCHAR(255)  NOT NULL,
    pid          BIGINT        NULL,
    create_time  DOUBLE        NULL,
    reason       VARCHAR(1000) NOT NULL,
    status       VARCHAR(32)   NOT NULL,
    detail       VARCHAR(1000) NOT NULL,
    requested_by VARCHAR(255)  NOT NULL,
    decided_by   VARCHAR(255)  NULL,
    created_at   TIMESTAMP(3)  NOT NULL,
    updated_at   TIMESTAMP(3)  NOT NULL,
    INDEX actions_target (host_id, type, target, created_at),
    INDEX actions_status (status, created_at),
    INDEX actions_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Who or what decided each step.
CREATE TABLE audit (
    id      BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at      TIMESTAMP(3)  NOT NULL,
    actor   VARCHAR(255)  NOT NULL,
    event   VARCHAR(64)   NOT NULL,
    subject VARCHAR(255)  NOT NULL,
    detail  VARCHAR(2000) NOT NULL,
    INDEX audit_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Windows in which no action runs on a host (host_id) or on every host of a group (host_group).
CREATE TABLE maintenance_windows (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    host_id    BIGINT       NULL,
    host_group VARCHAR(255) NULL,
    starts_at  TIMESTAMP(3) NOT NULL,
    ends_at    TIMESTAMP(3) NOT NULL,
    reason     VARCHAR(500) NOT NULL,
    created_by VARCHAR(255) NOT NULL,
    INDEX maintenance_ends (ends_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
