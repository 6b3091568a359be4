-- posunbind case store, schema version 1, for PostgreSQL 12 or later.
-- Instants are epoch milliseconds (BIGINT); wake_at is NULL when the engine need not wake the case.
-- case_id sorts by character code (COLLATE "C"), like the other stores, not by the database locale's rules.
CREATE TABLE IF NOT EXISTS posunbind_case (
    case_id         VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    version         BIGINT       NOT NULL,
    state           VARCHAR(255) NOT NULL,
    provider_id     VARCHAR(255) NOT NULL,
    merchant_number VARCHAR(255) NOT NULL,
    terminal_serial VARCHAR(255) NOT NULL,
    is_open         BOOLEAN      NOT NULL,
    wake_at         BIGINT,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    document        TEXT         NOT NULL
);
-- findDue and findOpenCaseIds look at open cases only, and most cases end up closed: partial indexes
-- stay small.
CREATE INDEX IF NOT EXISTS posunbind_case_due ON posunbind_case (wake_at, case_id) WHERE is_open;
CREATE INDEX IF NOT EXISTS posunbind_case_terminal ON posunbind_case (provider_id, terminal_serial) WHERE is_open;
-- findByState: least recently updated first.
CREATE INDEX IF NOT EXISTS posunbind_case_state ON posunbind_case (state, updated_at, case_id);
