-- Reports (GET /api/v1/reports/…) aggregate incidents by when they opened and by when they recovered over a
-- range of days for the whole fleet; incidents_host (host_id, first_seen) serves only one host's range.
-- Numbered 8.1 so that it lands after a V8 written in parallel, whichever is merged first.
ALTER TABLE incidents
    ADD INDEX incidents_first_seen (first_seen),
    ADD INDEX incidents_resolved (resolved_at);
