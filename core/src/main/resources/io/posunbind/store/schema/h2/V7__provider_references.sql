-- posunbind case store, schema version 7, for H2 2.x: cases found by a provider's reference (an application
-- reference, an operation's reference), for provider notifications that name no case id. The store writes
-- a case's references with the case write that first carries them, in the same transaction; rows are never
-- changed. References are unique per provider only, and one may name several cases.
-- Safe to run twice: H2 commits DDL at once, and the MERGE adds only what is missing.
CREATE TABLE IF NOT EXISTS posunbind_provider_reference (
    provider_id VARCHAR(255) NOT NULL,
    reference   VARCHAR(512) NOT NULL,
    case_id     VARCHAR(255) NOT NULL,
    PRIMARY KEY (provider_id, reference, case_id)
);
-- Open cases before this version: their application and operation references, from their documents
-- (up to 32 per case; a case has a handful).
MERGE INTO posunbind_provider_reference KEY (provider_id, reference, case_id)
    SELECT DISTINCT provider_id,
            REGEXP_SUBSTR(document, '"(applicationReference|providerReference)":"([^"]{1,512})"', 1, X, NULL, 2),
            case_id
        FROM posunbind_case, SYSTEM_RANGE(1, 32)
        WHERE is_open AND REGEXP_SUBSTR(document, '"(applicationReference|providerReference)":"([^"]{1,512})"',
            1, X, NULL, 2) IS NOT NULL;
