-- posunbind case store, schema version 5: nonces of signed provider callbacks already accepted, so that
-- every instance on this database refuses a replay, whichever instance took the original.
-- A nonce is kept until expires_at (epoch milliseconds) and may be forgotten after it.
-- Safe to run twice.
CREATE TABLE IF NOT EXISTS posunbind_callback_nonce (
    provider_id VARCHAR(64)  NOT NULL,
    nonce       VARCHAR(128) NOT NULL,
    expires_at  BIGINT       NOT NULL,
    PRIMARY KEY (provider_id, nonce)
);
-- Forgetting expired nonces.
CREATE INDEX IF NOT EXISTS posunbind_callback_nonce_expiry ON posunbind_callback_nonce (expires_at);
