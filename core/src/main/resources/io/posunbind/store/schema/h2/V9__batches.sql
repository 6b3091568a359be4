-- posunbind case store, schema version 9, for H2 2.x: fleet unbinds. A batch (posunbind_batch) and its rows,
-- one per terminal (posunbind_batch_row). A row holds its unbind request (JSON, sensitive numbers encrypted
-- with the data keys) until a worker starts it as the case named in case_id; its status then follows the case
-- to its end. Workers look for unfinished batches (finished_at IS NULL), the time zones of their pending rows,
-- and the pending rows of the zones whose window is open, lowest row first: each backed by an index.
-- Safe to run twice: H2 commits DDL at once.
CREATE TABLE IF NOT EXISTS posunbind_batch (
    batch_id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    state              VARCHAR(32)  NOT NULL,
    window_from        VARCHAR(16),
    window_until       VARCHAR(16),
    default_zone       VARCHAR(64)  NOT NULL,
    max_in_flight      INTEGER      NOT NULL,
    requested_by       VARCHAR(255) NOT NULL,
    requested_role     VARCHAR(64)  NOT NULL,
    row_count          INTEGER      NOT NULL,
    created_at         BIGINT       NOT NULL,
    first_started_at   BIGINT,
    finished_at        BIGINT
);
CREATE INDEX IF NOT EXISTS posunbind_batch_unfinished ON posunbind_batch (finished_at);
CREATE TABLE IF NOT EXISTS posunbind_batch_row (
    batch_id        VARCHAR(64)   NOT NULL,
    row_no          INTEGER       NOT NULL,
    provider_id     VARCHAR(255)  NOT NULL,
    terminal_serial VARCHAR(255)  NOT NULL,
    time_zone       VARCHAR(64)   NOT NULL,
    request         CLOB          NOT NULL,
    case_id         VARCHAR(255)  NOT NULL,
    status          VARCHAR(32)   NOT NULL,
    outcome         VARCHAR(32),
    error_code      VARCHAR(128),
    detail          VARCHAR(2000),
    updated_at      BIGINT        NOT NULL,
    PRIMARY KEY (batch_id, row_no)
);
CREATE INDEX IF NOT EXISTS posunbind_batch_row_due ON posunbind_batch_row (batch_id, status, time_zone, row_no);
CREATE INDEX IF NOT EXISTS posunbind_batch_row_terminal ON posunbind_batch_row (provider_id, terminal_serial, status);
