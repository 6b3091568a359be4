-- posunbind case store, schema version 4, for H2 2.x: findOpenCaseIds reads the unique index of version 3
-- (open_terminal), so the older index on provider and terminal only cost time: H2 updates every index
-- of a row on every update, and the engine updates a case after every step.
-- Safe to run twice.
DROP INDEX IF EXISTS posunbind_case_terminal;
