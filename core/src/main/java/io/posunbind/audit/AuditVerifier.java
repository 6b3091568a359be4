package io.posunbind.audit;

import io.posunbind.internal.audit.ChainLink;
import io.posunbind.internal.audit.ChainWalk;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an audit trail, or a case's evidence bundle, with public keys alone: no private key, no access to
 * the system that wrote it. It recomputes every record's hash and the chain between them, checks every
 * checkpoint's Ed25519 signature against the <em>trusted</em> keys given here (never against keys taken
 * from the material being checked, unless the caller chooses so), and reports each
 * {@link VerificationProblem} with its position.
 *
 * <p>What it can prove: records up to the last valid checkpoint are exactly those signed; records after it
 * (the unsigned tail) form an unbroken chain but could have been rewritten together by whoever holds the
 * store. Cutting off the end of a log together with the checkpoints that cover it leaves a shorter but
 * consistent log; give the verifier a checkpoint kept elsewhere ({@link #withWitness}, for example one
 * published through {@link AuditTrail.Builder#onCheckpoint}) to catch that.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AuditVerifier verifier = AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(Path.of("published-keys")));
 * VerificationReport report = verifier.verify(EvidenceBundle.readFrom(Path.of("case-evidence.json")));
 * if (!report.intact()) {
 *     report.problems().forEach(System.out::println);
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AuditVerifier {

    private static final int PAGE = 10_000;

    private final Map<String, AuditPublicKey> trustedKeys;
    private final List<Checkpoint> witnesses;

    private AuditVerifier(Map<String, AuditPublicKey> trustedKeys, List<Checkpoint> witnesses) {
        this.trustedKeys = trustedKeys;
        this.witnesses = witnesses;
    }

    /** A verifier that trusts these public keys; of two keys with one id, the later wins. */
    public static AuditVerifier trusting(Collection<AuditPublicKey> trustedKeys) {
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        return new AuditVerifier(Map.copyOf(ChainWalk.byKeyId(List.copyOf(trustedKeys))), List.of());
    }

    /** A verifier that trusts every public key of a key provider, current and retired. */
    public static AuditVerifier trusting(AuditKeyProvider keys) {
        Objects.requireNonNull(keys, "keys");
        return trusting(keys.publicKeys());
    }

    /**
     * This verifier, also holding a checkpoint obtained out of band that a whole log must reach and match.
     * Used by {@link #verifyLog} and {@link #verifyStore}; a bundle covers part of the trail only, so
     * {@link #verify(EvidenceBundle)} ignores witnesses.
     */
    public AuditVerifier withWitness(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        List<Checkpoint> more = new ArrayList<>(witnesses);
        more.add(checkpoint);
        return new AuditVerifier(trustedKeys, List.copyOf(more));
    }

    /**
     * Verifies a case's evidence bundle: the chain from its anchor to its covering checkpoint, every
     * checkpoint, and that none of the case's records is hidden as a redacted link.
     */
    public VerificationReport verify(EvidenceBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        ChainWalk walk = new ChainWalk(bundle.anchor(), bundle.checkpoints(), trustedKeys,
                Optional.of(bundle.caseId()));
        List<ChainLink> links = new ArrayList<>(bundle.entries().size());
        for (EvidenceEntry entry : bundle.entries()) {
            links.add(new ChainLink(entry.sequence(), entry.caseId(), entry.previousHash(), entry.hash(),
                    entry.computeHash(), entry instanceof EvidenceEntry.Redacted));
        }
        walk.acceptUnordered(links);
        return walk.finish();
    }

    /**
     * Verifies a whole log, from sequence 1, given as lists in the order they were read (order matters:
     * records out of sequence order are reported).
     */
    public VerificationReport verifyLog(List<AuditRecord> records, List<Checkpoint> checkpoints) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(checkpoints, "checkpoints");
        ChainWalk walk = new ChainWalk(Optional.empty(), withWitnesses(checkpoints), trustedKeys, Optional.empty());
        List<ChainLink> links = new ArrayList<>(records.size());
        for (AuditRecord record : records) {
            links.add(link(record));
        }
        walk.acceptUnordered(links);
        return walk.finish();
    }

    /**
     * Verifies the whole log held in a store, reading records {@value #PAGE} at a time, so a long trail
     * needs little memory.
     */
    public VerificationReport verifyStore(AuditStore store) {
        Objects.requireNonNull(store, "store");
        List<Checkpoint> checkpoints = store.readCheckpoints(1, Long.MAX_VALUE);
        ChainWalk walk = new ChainWalk(Optional.empty(), withWitnesses(checkpoints), trustedKeys, Optional.empty());
        long after = 0;
        List<AuditRecord> page;
        do {
            page = store.readAfter(after, PAGE);
            for (AuditRecord record : page) {
                walk.accept(link(record));
                after = record.sequence();
            }
        } while (page.size() == PAGE);
        return walk.finish();
    }

    private List<Checkpoint> withWitnesses(List<Checkpoint> checkpoints) {
        if (witnesses.isEmpty()) {
            return checkpoints;
        }
        List<Checkpoint> all = new ArrayList<>(checkpoints);
        all.addAll(witnesses);
        return all;
    }

    private static ChainLink link(AuditRecord record) {
        return new ChainLink(record.sequence(), record.caseId(), record.previousHash(), record.hash(),
                record.computeHash(), false);
    }
}
