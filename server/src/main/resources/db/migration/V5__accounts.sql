-- Accounts (docs/security.md). Passwords are bcrypt hashes; session and API token secrets are kept only as
-- SHA-256 digests (they are 256-bit random values, so a fast digest is enough and a stolen table replays nothing).
CREATE TABLE users (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL,
    password_hash       VARCHAR(100) NOT NULL,
    role                VARCHAR(16)  NOT NULL,
    created_at          TIMESTAMP(3) NOT NULL,
    password_changed_at TIMESTAMP(3) NOT NULL,
    CONSTRAINT users_username_unique UNIQUE (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE sessions (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    secret_hash CHAR(64)     NOT NULL,
    csrf_token  CHAR(43)     NOT NULL,
    user_id     BIGINT       NOT NULL,
    address     VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL,
    last_seen   TIMESTAMP(3) NOT NULL,
    expires_at  TIMESTAMP(3) NOT NULL,
    CONSTRAINT sessions_secret_unique UNIQUE (secret_hash),
    INDEX sessions_user (user_id),
    INDEX sessions_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE api_tokens (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    token_hash   CHAR(64)     NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    created_by   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL,
    last_used_at TIMESTAMP(3) NULL,
    revoked_at   TIMESTAMP(3) NULL,
    CONSTRAINT api_tokens_hash_unique UNIQUE (token_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Who did it from where, and what came of it.
ALTER TABLE audit
    ADD COLUMN address VARCHAR(64) NULL,
    ADD COLUMN result  VARCHAR(32) NULL,
    ADD INDEX audit_actor (actor, id);
