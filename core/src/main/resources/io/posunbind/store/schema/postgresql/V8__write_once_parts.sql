-- posunbind case store, schema version 8, for PostgreSQL: data written once is stored once. The values the
-- engine writes once per case (the request, the inventory, the document checklist, the sealed backup, the fee
-- quote, the decision) live in rows of their own, written with the case write that first carries them and not
-- again while they stay the same; the case row keeps the rest of the document and, in part_layout, where
-- each part goes back ("name@offset,..."; NULL when the document is kept whole). Reading a case puts the
-- parts back character for character, so the document read is the document written.
-- The store moves the values of cases stored before this version out once, after the script (in Java: the
-- cut follows the document's JSON structure); a case it did not reach is read whole and split on its next write.
-- toast_tuple_target: PostgreSQL compresses a row's long text only once the row passes about 2 KB. Case rows
-- and parts are mostly shorter, and JSON compresses to about a third; at 128 bytes they are compressed too
-- (and stay in the row, in place of a TOAST pointer, when that fits).
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS part_layout VARCHAR(1000);
ALTER TABLE posunbind_case SET (toast_tuple_target = 128);
CREATE TABLE IF NOT EXISTS posunbind_case_part (
    case_id VARCHAR(255) COLLATE "C" NOT NULL,
    name    VARCHAR(64)  NOT NULL,
    content TEXT         NOT NULL,
    PRIMARY KEY (case_id, name)
) WITH (toast_tuple_target = 128);
