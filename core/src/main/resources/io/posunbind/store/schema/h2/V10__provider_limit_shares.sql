-- posunbind case store, schema version 10: each instance's share of a provider's declared limits.
-- Every instance that calls a limited provider keeps one row per provider here, renewed by its heartbeat
-- (heartbeat_at, epoch milliseconds of its clock). The instances whose heartbeat is fresh are the live ones;
-- each takes an even share of the limit among them. paused_until (epoch milliseconds, 0 for none) is the end
-- of a pause the instance was told by the provider (a 429's Retry-After): every instance pauses until the
-- latest pause of any row. A row whose heartbeat stopped long ago is deleted by the next heartbeat of any
-- instance. Safe to run twice.
CREATE TABLE IF NOT EXISTS posunbind_provider_share (
    provider_id  VARCHAR(255) NOT NULL,
    instance_id  VARCHAR(255) NOT NULL,
    heartbeat_at BIGINT       NOT NULL,
    paused_until BIGINT       NOT NULL,
    PRIMARY KEY (provider_id, instance_id)
);
