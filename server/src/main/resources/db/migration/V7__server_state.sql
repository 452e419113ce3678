-- Small facts a server run leaves for the next one, by name (e.g. last_event_id: the last event id a run gave
-- out when it stopped cleanly, so that clients resuming across the restart are told whether they missed any).
CREATE TABLE server_state (
    name  VARCHAR(64) NOT NULL PRIMARY KEY,
    value BIGINT      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
