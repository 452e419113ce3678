-- Server replicas on one database (docs/scaling.md). Each running instance keeps a row alive here; a row whose
-- expires_at has passed is an instance that stopped or died. Times are the database's own (NOW(3)), so replicas
-- whose clocks disagree still agree on who is alive.
CREATE TABLE server_instances (
    instance_id  VARCHAR(128) NOT NULL PRIMARY KEY,
    started_at   TIMESTAMP(3) NOT NULL,
    expires_at   TIMESTAMP(3) NOT NULL,
    INDEX server_instances_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Which instance polls each host and runs its rules: a lease, renewed by its owner, free to claim once expired
-- (SELECT … FOR UPDATE SKIP LOCKED, so that two instances never claim the same row).
CREATE TABLE host_leases (
    host_id    BIGINT       NOT NULL PRIMARY KEY,
    owner      VARCHAR(128) NULL,
    expires_at TIMESTAMP(3) NOT NULL,
    INDEX host_leases_owner (owner),
    INDEX host_leases_expires (expires_at),
    CONSTRAINT host_leases_host FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
