-- posunbind case store, schema version 4, for PostgreSQL: the unique partial index of version 3 covers
-- the same rows and columns as posunbind_case_terminal, which only cost time on every write.
DROP INDEX IF EXISTS posunbind_case_terminal;
