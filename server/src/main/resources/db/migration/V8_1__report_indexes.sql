-- Reports (GET /api/v1/reports/…) aggregate incidents by when they opened over a range of days for the whole
-- fleet; incidents_host (host_id, first_seen) serves only one host's range. (V8 indexes resolved_at, which the
-- recovery figures of the reports and of /stats use.)
ALTER TABLE incidents ADD INDEX incidents_first_seen (first_seen);
