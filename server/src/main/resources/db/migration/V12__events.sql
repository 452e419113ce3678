-- The events every instance's clients see (GET /api/v1/events), fanned out through the database: each instance
-- appends what it publishes and delivers what every instance appended, in id order (docs/scaling.md). Ids come
-- from event_counter, whose row stays locked until the appending transaction commits: ids are contiguous and a
-- reader that sees an id has seen every smaller one. The counter starts at the clock in milliseconds × 1000, above
-- every id the earlier, clock-based numbering gave out, so a client resuming from one of those gets a reset.
CREATE TABLE event_counter (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    last BIGINT      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO event_counter (name, last) VALUES ('events', FLOOR(UNIX_TIMESTAMP(NOW(3)) * 1000) * 1000);

CREATE TABLE events (
    id     BIGINT       NOT NULL PRIMARY KEY,
    type   VARCHAR(64)  NOT NULL,
    at     TIMESTAMP(3) NOT NULL,
    origin VARCHAR(128) NOT NULL,
    data   MEDIUMTEXT   NOT NULL,
    INDEX events_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The last id a stopping run gave out: the counter above keeps it now.
DROP TABLE server_state;
