-- posunbind case store, schema version 2, for H2 2.x: leases for many engine instances, and a flag for
-- cases whose outbox (events stored in the document with the change they describe) is not yet delivered.
-- Safe to run twice: H2 commits DDL at once.
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS lease_owner VARCHAR(255);
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS lease_until BIGINT;
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS events_pending BOOLEAN DEFAULT FALSE NOT NULL;
-- findDue's second part: cases whose events an instance stored but did not deliver before it died.
CREATE INDEX IF NOT EXISTS posunbind_case_events ON posunbind_case (events_pending, updated_at);
