-- posunbind case store, schema version 8, for PostgreSQL: data written once is stored once. The values the
-- engine writes once per case (the request, the inventory, the document checklist, the sealed backup, the fee
-- quote, the decision) live in rows of their own, written with the case write that first carries them and not
-- again while they stay the same; the case row keeps the rest of the document and, in part_layout, where
-- each part goes back ("name@offset,..."; NULL when the document is kept whole). Reading a case puts the
-- parts back character for character, so the document read is the document written.
-- The store moves the values of cases stored before this version out once, after the script (in Java: the
-- cut follows the document's JSON structure); a case it did not reach is read whole and split on its next write.
-- toast_tuple_target on the parts: PostgreSQL compresses a row's long text only once the row passes about
-- 2 KB; parts are mostly shorter, and JSON compresses well, so they are compressed from 128 bytes on. Parts are
-- written once, so nothing of them is left behind dead. The case row keeps the default: there a lower target
-- moved the compressed document out of the row into TOAST, where every update left a dead copy until vacuum
-- (5,000 waiting cases: 23 MB of TOAST), while a document kept in the row is reclaimed by page pruning.
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS part_layout VARCHAR(1000);
CREATE TABLE IF NOT EXISTS posunbind_case_part (
    case_id VARCHAR(255) COLLATE "C" NOT NULL,
    name    VARCHAR(64)  NOT NULL,
    content TEXT         NOT NULL,
    PRIMARY KEY (case_id, name)
) WITH (toast_tuple_target = 128);
