package io.posunbind.audit;

import io.posunbind.internal.audit.AuditHashing;
import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One link of the hash chain inside an {@link EvidenceBundle}: a record of the bundle's case in full, or
 * another record redacted to what the verifier needs to recompute the chain (its sequence, case id,
 * content digest and hashes), so that a bundle handed to one merchant shows nothing of another's.
 *
 * <p>Immutable.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public sealed interface EvidenceEntry permits EvidenceEntry.Full, EvidenceEntry.Redacted {

    /** The record's sequence. */
    long sequence();

    /** The case id of the record's affected resource, or empty. */
    String caseId();

    /** The hash of the record before. */
    String previousHash();

    /** The record's hash as stored. */
    String hash();

    /** The record's hash recomputed from what this entry shows. */
    String computeHash();

    /**
     * A record shown in full.
     *
     * @param record the record
     */
    record Full(AuditRecord record) implements EvidenceEntry {

        /** Checks for null. */
        public Full {
            Objects.requireNonNull(record, "record");
        }

        @Override
        public long sequence() {
            return record.sequence();
        }

        @Override
        public String caseId() {
            return record.caseId();
        }

        @Override
        public String previousHash() {
            return record.previousHash();
        }

        @Override
        public String hash() {
            return record.hash();
        }

        @Override
        public String computeHash() {
            return record.computeHash();
        }
    }

    /**
     * Another case's record, redacted. Its chain hash can be recomputed from these fields (see
     * {@link AuditRecord}), so it can be neither changed nor left out unnoticed; its content cannot be read.
     *
     * @param sequence      the record's sequence
     * @param caseId        the case id it concerns, or empty; shown so that a bundle cannot hide its own
     *                      case's records behind redaction
     * @param contentDigest the SHA-256 of its content
     * @param previousHash  the hash of the record before
     * @param hash          its hash as stored
     */
    record Redacted(long sequence, String caseId, String contentDigest, String previousHash, String hash)
            implements EvidenceEntry {

        /** Checks for nulls. */
        public Redacted {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(contentDigest, "contentDigest");
            Objects.requireNonNull(previousHash, "previousHash");
            Objects.requireNonNull(hash, "hash");
        }

        /** Redacts a record. */
        public static Redacted of(AuditRecord record) {
            return new Redacted(record.sequence(), record.caseId(), record.computeContentDigest(),
                    record.previousHash(), record.hash());
        }

        @Override
        public String computeHash() {
            return AuditHashing.chainHash(sequence, previousHash, caseId, contentDigest);
        }
    }
}
