-- posunbind case store, schema version 7, for PostgreSQL: cases found by a provider's reference (an
-- application reference, an operation's reference), for provider notifications that name no case id. The
-- store writes a case's references with the case write that first carries them, in the same transaction;
-- rows are never changed. References are unique per provider only, and one may name several cases. The
-- primary key serves the lookup by provider and reference.
CREATE TABLE IF NOT EXISTS posunbind_provider_reference (
    provider_id VARCHAR(255)            NOT NULL,
    reference   VARCHAR(512)            NOT NULL,
    case_id     VARCHAR(255) COLLATE "C" NOT NULL,
    PRIMARY KEY (provider_id, reference, case_id)
);
-- Open cases before this version: their application and operation references, from their documents.
-- (PostgreSQL's regular expressions bound a repetition at 255, so the length is checked apart.)
INSERT INTO posunbind_provider_reference (provider_id, reference, case_id)
    SELECT DISTINCT c.provider_id, m[2], c.case_id
        FROM posunbind_case c,
            regexp_matches(c.document, '"(applicationReference|providerReference)":"([^"]+)"', 'g') AS m
        WHERE c.is_open AND length(m[2]) <= 512
    ON CONFLICT DO NOTHING;
