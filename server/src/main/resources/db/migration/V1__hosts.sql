-- Registered agents. Tokens are stored encrypted (AES-256-GCM, see SecretBox) and never returned.
CREATE TABLE hosts (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name             VARCHAR(255) NOT NULL,
    url              VARCHAR(2048) NOT NULL,
    token_enc        VARBINARY(1024) NOT NULL,
    action_token_enc VARBINARY(1024) NULL,
    interval_seconds INT          NOT NULL DEFAULT 10,
    host_group       VARCHAR(255) NULL,
    labels           LONGTEXT     NOT NULL CHECK (JSON_VALID(labels)),
    policy           LONGTEXT     NOT NULL CHECK (JSON_VALID(policy)),
    created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    CONSTRAINT hosts_name_unique UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
