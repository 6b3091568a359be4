package io.posunbind.internal.audit;

/**
 * What the verifier needs of one record: its position, its hashes as given and as recomputed.
 *
 * @param sequence     the sequence the record claims
 * @param caseId       its case id, or empty
 * @param previousHash the previous hash it claims
 * @param hash         the hash it claims
 * @param computedHash the hash its fields give
 * @param redacted     whether only a redacted link was shown
 */
public record ChainLink(long sequence, String caseId, String previousHash, String hash, String computedHash,
        boolean redacted) {

    /** Whether the claimed hash is what the fields give. */
    public boolean selfConsistent() {
        return hash.equals(computedHash);
    }

    /** Whether the text is this link's hash, as claimed or as recomputed. */
    public boolean hasHash(String text) {
        return hash.equals(text) || computedHash.equals(text);
    }
}
