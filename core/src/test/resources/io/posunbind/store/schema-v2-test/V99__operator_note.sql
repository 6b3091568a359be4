-- A stand-in for a later schema version: unlike V1 it cannot run twice, so it shows that the migrator
-- applies it once and never re-applies V1.
ALTER TABLE posunbind_case ADD COLUMN operator_note VARCHAR(100);
