-- posunbind case store, schema version 11: each instance's share of a provider's limits per operation.
-- A provider may limit single operations more tightly than its whole API (WeChat Pay: 20 calls a minute to its
-- settlement-account change); each such limit is split among the instances like the provider-wide ones, so an
-- instance keeps one row per provider and limited operation. operation holds the operation's name, or '' for
-- the provider-wide limits (which every row of version 10 was). The key grows by the column. H2 commits each
-- statement and names the old key itself, so the table is made anew, which is safe to run twice: its rows are
-- heartbeats every live instance renews within a second; a pause recorded before the upgrade is forgotten,
-- and the provider's next 429 records it again.
DROP TABLE IF EXISTS posunbind_provider_share;
CREATE TABLE IF NOT EXISTS posunbind_provider_share (
    provider_id  VARCHAR(255) NOT NULL,
    operation    VARCHAR(64)  DEFAULT '' NOT NULL,
    instance_id  VARCHAR(255) NOT NULL,
    heartbeat_at BIGINT       NOT NULL,
    paused_until BIGINT       NOT NULL,
    PRIMARY KEY (provider_id, operation, instance_id)
);
