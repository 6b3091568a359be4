-- posunbind case store, schema version 1, for H2 2.x.
-- Instants are epoch milliseconds (BIGINT); wake_at is NULL when the engine need not wake the case.
-- The document is a CLOB because cases may outgrow H2's 1,048,576-character VARCHAR. H2 keeps a CLOB
-- longer than MAX_LENGTH_INPLACE_LOB apart from its row and writes it anew on every update; at H2's
-- default of 256 bytes that made the store several times slower and its file ten times larger, so
-- documents up to 64 KiB stay in their row (the setting is persistent).
-- Every statement is safe to run twice: H2 commits DDL at once, so a crash before the version is
-- recorded runs this script again.
SET MAX_LENGTH_INPLACE_LOB 65536;
CREATE TABLE IF NOT EXISTS posunbind_case (
    case_id         VARCHAR(255) NOT NULL PRIMARY KEY,
    version         BIGINT       NOT NULL,
    state           VARCHAR(255) NOT NULL,
    provider_id     VARCHAR(255) NOT NULL,
    merchant_number VARCHAR(255) NOT NULL,
    terminal_serial VARCHAR(255) NOT NULL,
    is_open         BOOLEAN      NOT NULL,
    wake_at         BIGINT,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    document        CLOB         NOT NULL
);
-- findDue: open cases by wake time.
CREATE INDEX IF NOT EXISTS posunbind_case_due ON posunbind_case (is_open, wake_at, case_id);
-- findOpenCaseIds: the open cases of a terminal.
CREATE INDEX IF NOT EXISTS posunbind_case_terminal ON posunbind_case (provider_id, terminal_serial, is_open);
-- findByState: least recently updated first.
CREATE INDEX IF NOT EXISTS posunbind_case_state ON posunbind_case (state, updated_at, case_id);
