-- posunbind case store, schema version 2, for PostgreSQL: leases for many engine instances, and a flag
-- for cases whose outbox (events stored in the document with the change they describe) is not yet
-- delivered.
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS lease_owner VARCHAR(255);
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS lease_until BIGINT;
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS events_pending BOOLEAN NOT NULL DEFAULT FALSE;
-- Pending events are rare and short-lived: a partial index stays tiny.
CREATE INDEX IF NOT EXISTS posunbind_case_events ON posunbind_case (updated_at) WHERE events_pending;
