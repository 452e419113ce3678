-- A sample the server fetched from the agent's history to fill a gap (an outage of the agent, of the network or
-- of the server itself) instead of polling it live; such samples never went to the rules. A column with a
-- constant default is added in place on InnoDB (no copy of the table, however many samples it holds):
-- ALGORITHM=INSTANT makes the migration fail rather than rebuild the table if that ever changes.
ALTER TABLE samples ADD COLUMN backfilled BOOLEAN NOT NULL DEFAULT FALSE, ALGORITHM = INSTANT;
