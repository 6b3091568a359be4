-- posunbind case store, schema version 6, for PostgreSQL: operators find stuck cases by what they wait
-- for and since when, by merchant and by terminal. The engine writes wait_reason and waiting_since with
-- every change of a waiting case (NULL otherwise), and a poll that finds nothing new no longer moves
-- updated_at.
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS wait_reason VARCHAR(255);
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS waiting_since BIGINT;
-- Cases waiting before this version: the reason from their document; the start of the wait from the
-- document where it kept one (waits for input), else the last change.
UPDATE posunbind_case SET wait_reason = substring(document from '"waitingFor":"([A-Z_]+)"')
    WHERE state = 'WAITING' AND wait_reason IS NULL;
UPDATE posunbind_case SET waiting_since = COALESCE(floor(extract(epoch from
        CAST(substring(document from '"waitingSince":"([^"]+)"') AS timestamptz)) * 1000)::bigint, updated_at)
    WHERE state = 'WAITING' AND waiting_since IS NULL;
-- findCases: by wait and its age (waiting cases only: a small partial index), by merchant, by terminal
-- (open or closed); each in the result order.
CREATE INDEX IF NOT EXISTS posunbind_case_waiting ON posunbind_case (wait_reason, waiting_since, case_id)
    WHERE wait_reason IS NOT NULL;
CREATE INDEX IF NOT EXISTS posunbind_case_merchant ON posunbind_case (merchant_number, updated_at, case_id);
CREATE INDEX IF NOT EXISTS posunbind_case_by_terminal ON posunbind_case (terminal_serial, updated_at, case_id);
