-- posunbind case store, schema version 11: each instance's share of a provider's limits per operation.
-- A provider may limit single operations more tightly than its whole API (WeChat Pay: 20 calls a minute to its
-- settlement-account change); each such limit is split among the instances like the provider-wide ones, so an
-- instance keeps one row per provider and limited operation. operation holds the operation's name, or '' for
-- the provider-wide limits (which every row of version 10 was, and which rows written by an instance still on
-- version 10 remain). The key grows by the column. Transactional on PostgreSQL: applied whole or not at all.
ALTER TABLE posunbind_provider_share ADD COLUMN IF NOT EXISTS operation VARCHAR(64) DEFAULT '' NOT NULL;
ALTER TABLE posunbind_provider_share DROP CONSTRAINT IF EXISTS posunbind_provider_share_pkey;
ALTER TABLE posunbind_provider_share ADD CONSTRAINT posunbind_provider_share_pkey
    PRIMARY KEY (provider_id, operation, instance_id);
