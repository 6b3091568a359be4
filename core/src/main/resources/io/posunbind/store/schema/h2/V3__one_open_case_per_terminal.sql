-- posunbind case store, schema version 3, for H2 2.x: at most one open case per provider and terminal,
-- enforced by the database, so two instances opening cases for one terminal at the same moment cannot
-- both succeed. H2 has no partial indexes: a generated column is NULL for closed cases, and a unique
-- index allows any number of NULLs.
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS open_terminal VARCHAR(520)
    GENERATED ALWAYS AS (CASE WHEN is_open THEN provider_id || '|' || terminal_serial END);
CREATE UNIQUE INDEX IF NOT EXISTS posunbind_case_one_open_per_terminal ON posunbind_case (open_terminal);
