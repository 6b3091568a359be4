-- posunbind audit trail, schema version 1, for H2 2.x.
-- Kept apart from the case store's scripts for now; a later release folds it into the versioned schema.
-- Times are the epoch second (BIGINT) and the nanosecond of that second (INTEGER): the hash covers the
-- instant at full precision, so the store must give it back unchanged.
-- Empty strings stand for "not applicable" (no case, no terminal...).
-- Every statement is safe to run twice: the store runs the script each time it opens.
CREATE TABLE IF NOT EXISTS posunbind_audit_record (
    sequence        BIGINT        NOT NULL PRIMARY KEY,
    time_second     BIGINT        NOT NULL,
    time_nano       INTEGER       NOT NULL,
    actor_id        VARCHAR(128)  NOT NULL,
    actor_role      VARCHAR(64)   NOT NULL,
    event_type      VARCHAR(64)   NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,
    origin          VARCHAR(128)  NOT NULL,
    case_id         VARCHAR(255)  NOT NULL,
    terminal_serial VARCHAR(255)  NOT NULL,
    merchant_number VARCHAR(255)  NOT NULL,
    detail          VARCHAR(1000) NOT NULL,
    previous_hash   VARCHAR(64)   NOT NULL,
    hash            VARCHAR(64)   NOT NULL
);
-- readByCase: a case's records in order.
CREATE INDEX IF NOT EXISTS posunbind_audit_record_case ON posunbind_audit_record (case_id, sequence);
CREATE TABLE IF NOT EXISTS posunbind_audit_checkpoint (
    sequence    BIGINT       NOT NULL PRIMARY KEY,
    head_hash   VARCHAR(64)  NOT NULL,
    time_second BIGINT       NOT NULL,
    time_nano   INTEGER      NOT NULL,
    key_id      VARCHAR(64)  NOT NULL,
    signature   VARCHAR(128) NOT NULL
);
