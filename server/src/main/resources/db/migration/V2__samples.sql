-- One narrow row per stored snapshot: the headline gauges, plus the snapshot's detail (disks, NICs,
-- processes, services) gzip-compressed. Partitioned by day so that retention drops whole days; the
-- Retention job adds the partitions of the coming days and drops the expired ones.
CREATE TABLE samples (
    host_id         BIGINT      NOT NULL,
    collected_at    DATETIME(3) NOT NULL,
    received_at     DATETIME(3) NOT NULL,
    cpu_percent     FLOAT       NOT NULL,
    memory_percent  FLOAT       NOT NULL,
    swap_percent    FLOAT       NOT NULL,
    load1           FLOAT       NOT NULL,
    load5           FLOAT       NOT NULL,
    load15          FLOAT       NOT NULL,
    disk_percent    FLOAT       NOT NULL,
    net_recv_bps    DOUBLE      NULL,
    net_sent_bps    DOUBLE      NULL,
    detail          MEDIUMBLOB  NULL,
    PRIMARY KEY (host_id, collected_at)
) ENGINE = InnoDB
  PARTITION BY RANGE COLUMNS (collected_at) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);
