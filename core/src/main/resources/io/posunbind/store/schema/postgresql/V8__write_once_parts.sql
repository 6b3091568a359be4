-- posunbind case store, schema version 8, for PostgreSQL: data written once is stored once. The values the
-- engine writes once per case (the request, the inventory, the document checklist, the sealed backup, the fee
-- quote, the decision) live in rows of their own, written with the case write that first carries them and not
-- again while they stay the same; the case row keeps the rest of the document and, in part_layout, where
-- each part goes back ("name@offset,..."; NULL when the document is kept whole). Reading a case puts the
-- parts back character for character, so the document read is the document written.
-- The store moves the values of cases stored before this version out once, after the script (in Java: the
-- cut follows the document's JSON structure); a case it did not reach is read whole and split on its next write.
-- PostgreSQL compresses a value only in a row longer than about 2 KB, and most parts are shorter: the store
-- compresses them itself (deflate with a preset dictionary, a format byte first), hence BYTEA. A lower
-- toast_tuple_target does not help (it applies only once a row passed that threshold) and, tried on the case
-- row, moved its compressed document into TOAST, where every update left a dead copy until vacuum.
ALTER TABLE posunbind_case ADD COLUMN IF NOT EXISTS part_layout VARCHAR(1000);
CREATE TABLE IF NOT EXISTS posunbind_case_part (
    case_id VARCHAR(255) COLLATE "C" NOT NULL,
    name    VARCHAR(64)  NOT NULL,
    content BYTEA        NOT NULL,
    PRIMARY KEY (case_id, name)
);
