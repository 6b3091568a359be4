package io.posunbind.internal.audit;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The hashes of the audit trail. A record's hash is computed in two steps so that an evidence bundle can
 * withhold another case's record and still let the verifier recompute the whole chain:
 * <pre>
 * content = SHA-256(enc("posunbind/audit/content/v1", time, actorId, actorRole, eventType, outcome, origin,
 *                       caseId, terminalSerial, merchantNumber, detail))
 * hash    = SHA-256(enc("posunbind/audit/chain/v1", sequence, previousHash, caseId, content))
 * </pre>
 * where {@code enc} is {@link CanonicalEncoder}, hashes are lower-case hex strings (encoded as strings),
 * the outcome is its enum name and the first record's previous hash is {@link #GENESIS_HASH}. A withheld
 * record shows its sequence, case id, content digest and hashes: enough to recompute its chain hash,
 * nothing of what happened.
 *
 * <p>A checkpoint signs {@code enc("posunbind/audit/checkpoint/v1", sequence, headHash, time, keyId)} with
 * Ed25519. Stateless and thread-safe.
 */
public final class AuditHashing {

    /** The previous hash of the first record: 64 zeros. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    private AuditHashing() {
    }

    /** The digest of a record's content, everything but its place in the chain. */
    public static String contentDigest(Instant time, String actorId, String actorRole, String eventType,
            String outcome, String origin, String caseId, String terminalSerial, String merchantNumber,
            String detail) {
        return new CanonicalEncoder("posunbind/audit/content/v1")
                .putInstant(time)
                .putString(actorId)
                .putString(actorRole)
                .putString(eventType)
                .putString(outcome)
                .putString(origin)
                .putString(caseId)
                .putString(terminalSerial)
                .putString(merchantNumber)
                .putString(detail)
                .sha256Hex();
    }

    /** A record's chain hash from its sequence, its predecessor's hash, its case id and its content digest. */
    public static String chainHash(long sequence, String previousHash, String caseId, String contentDigest) {
        return new CanonicalEncoder("posunbind/audit/chain/v1")
                .putLong(sequence)
                .putString(previousHash)
                .putString(caseId)
                .putString(contentDigest)
                .sha256Hex();
    }

    /** The bytes a checkpoint's Ed25519 signature covers. */
    public static byte[] checkpointMessage(long sequence, String headHash, Instant time, String keyId) {
        return new CanonicalEncoder("posunbind/audit/checkpoint/v1")
                .putLong(sequence)
                .putString(headHash)
                .putInstant(time)
                .putString(keyId)
                .toByteArray();
    }

    /** Whether the text is a SHA-256 in the trail's form: 64 lower-case hex digits. */
    public static boolean isSha256Hex(String text) {
        return HEX_SHA256.matcher(text).matches();
    }
}
