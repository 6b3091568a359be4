-- posunbind case store, schema version 3, for PostgreSQL: at most one open case per provider and
-- terminal, enforced by the database, so two instances opening cases for one terminal at the same moment
-- cannot both succeed.
CREATE UNIQUE INDEX IF NOT EXISTS posunbind_case_one_open_per_terminal ON posunbind_case (provider_id, terminal_serial)
    WHERE is_open;
