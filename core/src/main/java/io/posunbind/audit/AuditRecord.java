package io.posunbind.audit;

import io.posunbind.internal.audit.AuditHashing;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit trail, with the fields PCI DSS 10.2.2 asks for (actor, event type, time, success
 * or failure, origin, affected resource) and its place in the SHA-256 hash chain.
 *
 * <p>The hash is computed over a canonical, length-prefixed binary encoding, in two steps so that an
 * evidence bundle can withhold other cases' records (see {@link EvidenceEntry.Redacted}):
 * <pre>
 * contentDigest = SHA-256(enc("posunbind/audit/content/v1", time, actorId, actorRole, eventType, outcome,
 *                             origin, caseId, terminalSerial, merchantNumber, detail))
 * hash          = SHA-256(enc("posunbind/audit/chain/v1", sequence, previousHash, caseId, contentDigest))
 * </pre>
 * {@code enc} writes a long as 8 bytes big-endian, an instant as its epoch second (long) and nanosecond
 * (4 bytes), a string as the byte {@code 0x01}, its UTF-8 length (4 bytes) and its UTF-8 bytes (a string
 * with an unpaired surrogate as {@code 0x02}, its length in bytes and its UTF-16BE code units), hashes as
 * their 64-digit lower-case hex strings, the outcome as its name. The first record's previous hash is 64
 * zeros. This is enough to write a verifier in any language.
 *
 * <p>Immutable. Only nulls are refused: a record read back from a store or a bundle may have been tampered
 * with, and the {@link AuditVerifier} must be able to say so rather than fail to read it.
 *
 * @param sequence     the position in the trail, from 1, without gaps
 * @param time         when the record was appended, from the trail's clock
 * @param actorId      who acted
 * @param actorRole    in which role
 * @param eventType    what kind of event, see {@link AuditEventTypes}
 * @param outcome      success or failure
 * @param origin       where it came from
 * @param resource     what it touched
 * @param detail       a short, masked description
 * @param previousHash the hash of the record before, or 64 zeros for the first
 * @param hash         this record's hash, as described above
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record AuditRecord(long sequence, Instant time, String actorId, String actorRole, String eventType,
        AuditOutcome outcome, String origin, AffectedResource resource, String detail, String previousHash,
        String hash) {

    /** The previous hash of the first record: 64 zeros. */
    public static final String GENESIS_HASH = AuditHashing.GENESIS_HASH;

    /** Checks that no field is null. */
    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(actorRole, "actorRole");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** Chains a draft after the record whose hash is {@code previousHash}. */
    static AuditRecord chain(long sequence, Instant time, AuditEntry entry, String previousHash) {
        AuditRecord unhashed = new AuditRecord(sequence, time, entry.actorId(), entry.actorRole(), entry.eventType(),
                entry.outcome(), entry.origin(), entry.resource(), entry.detail(), previousHash, "");
        return unhashed.withHash(unhashed.computeHash());
    }

    /** The case this record concerns, or empty. */
    public String caseId() {
        return resource.caseId();
    }

    /** The SHA-256 of this record's content (everything but sequence and hashes), recomputed now. */
    public String computeContentDigest() {
        return AuditHashing.contentDigest(time, actorId, actorRole, eventType, outcome.name(), origin,
                resource.caseId(), resource.terminalSerial(), resource.merchantNumber(), detail);
    }

    /** This record's hash as its fields and previous hash say it should be, recomputed now. */
    public String computeHash() {
        return AuditHashing.chainHash(sequence, previousHash, resource.caseId(), computeContentDigest());
    }

    /** Whether {@link #hash()} is what the fields give: false when the record was edited after it was hashed. */
    public boolean hashMatches() {
        return computeHash().equals(hash);
    }

    /** This record with another hash. */
    AuditRecord withHash(String newHash) {
        return new AuditRecord(sequence, time, actorId, actorRole, eventType, outcome, origin, resource, detail,
                previousHash, newHash);
    }
}
