package io.posunbind.audit;

import io.posunbind.spi.API;

/** What the {@link AuditVerifier} found wrong, each with a position in the trail. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ProblemKind {
    /**
     * A record's content or hashes were changed: its stored hash does not match its fields (position: the
     * record), or it was rewritten with a recomputed hash so that the next record no longer chains to it
     * (position: the record and the next).
     */
    EDITED,
    /** Records are missing: the sequence jumps over them. */
    DELETED,
    /** A record that does not belong: a second record with a taken sequence, or one before the chain's start. */
    INSERTED,
    /** A record appears out of sequence order. */
    REORDERED,
    /** The trail or bundle ends before a signed checkpoint's sequence: its last records were cut off. */
    TRUNCATED,
    /**
     * A validly signed checkpoint names another chain head than the records give: records were rewritten,
     * hashes recomputed, after it was signed. Position: the records from the last matching checkpoint to
     * this one, where the rewrite lies.
     */
    CHECKPOINT_MISMATCH,
    /** A checkpoint's signature does not verify with the public key of its key id. */
    BAD_SIGNATURE,
    /** A checkpoint names a key id the verifier has no trusted public key for. */
    UNKNOWN_KEY,
    /** An evidence bundle gives one of its own case's records only as a redacted link, hiding it. */
    WITHHELD
}
