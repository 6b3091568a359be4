-- posunbind case store, schema version 12: the instance that starts a batch's rows now, and until when
-- (BatchStore.leaseStarting). One instance at a time counts a batch's open cases and starts rows up to its cap,
-- so instances starting rows of one batch together never pass the cap; a dead starter's lease expires.
ALTER TABLE posunbind_batch ADD COLUMN IF NOT EXISTS starter VARCHAR(255);
ALTER TABLE posunbind_batch ADD COLUMN IF NOT EXISTS starter_until BIGINT;
