-- Roles that one process of the whole cluster plays at a time (docs/scaling.md), such as the Telegram bot's long
-- poll ('telegram-poller'): a lease, renewed by its holder, free to claim once expired. Times are the database's own
-- (NOW(3)), as for the host leases (V11). A released lease keeps its last holder and is expired at once.
CREATE TABLE role_leases (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder     VARCHAR(128) NOT NULL,
    expires_at TIMESTAMP(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
